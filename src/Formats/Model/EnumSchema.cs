using System.Text.Json.Nodes;

namespace Streams.Formats.Model;

/// <summary>An enumeration of symbols. Values are carried as the symbol string.</summary>
public sealed class EnumSchema : NamedSchema
{
    private readonly Dictionary<string, int> _indexes;

    /// <summary>Creates an enum; <paramref name="defaultSymbol"/>, when given, must be one of the symbols.</summary>
    public EnumSchema(SchemaName name, IReadOnlyList<string> symbols, string? defaultSymbol = null, string? doc = null,
        IReadOnlyList<SchemaName>? aliases = null, IReadOnlyDictionary<string, JsonNode?>? properties = null)
        : base(name, aliases, doc, null, properties)
    {
        Symbols = symbols;
        _indexes = new Dictionary<string, int>(symbols.Count, StringComparer.Ordinal);
        for (var i = 0; i < symbols.Count; i++)
        {
            if (!_indexes.TryAdd(symbols[i], i))
            {
                throw new SchemaException($"Enum {name.FullName} declares symbol '{symbols[i]}' twice.", name.FullName);
            }
        }

        if (defaultSymbol is not null && !_indexes.ContainsKey(defaultSymbol))
        {
            throw new SchemaException(
                $"Enum {name.FullName} has default '{defaultSymbol}', which is not one of its symbols.", name.FullName);
        }

        Default = defaultSymbol;
    }

    /// <inheritdoc />
    public override SchemaType Type => SchemaType.Enum;

    /// <summary>The symbols, in order; a symbol's index is its binary encoding.</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary>The symbol a reader uses for a writer symbol it does not know, or <c>null</c>.</summary>
    public string? Default { get; }

    /// <summary>The index of <paramref name="symbol"/>, or -1.</summary>
    public int IndexOf(string symbol) => _indexes.GetValueOrDefault(symbol, -1);
}
