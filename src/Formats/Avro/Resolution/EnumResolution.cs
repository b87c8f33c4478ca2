using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>
/// An enum read as an enum whose name matches. A writer symbol the reader lacks maps to the reader's default
/// symbol; without a default, reading that symbol is an error, signalled only when it is encountered.
/// </summary>
public sealed class EnumResolution : ResolutionNode
{
    private readonly int[] _map;

    internal EnumResolution(EnumSchema writer, EnumSchema reader)
        : base(writer, reader)
    {
        var defaultIndex = reader.Default is null ? -1 : reader.IndexOf(reader.Default);
        _map = new int[writer.Symbols.Count];
        for (var i = 0; i < _map.Length; i++)
        {
            var index = reader.IndexOf(writer.Symbols[i]);
            _map[i] = index >= 0 ? index : defaultIndex;
        }
    }

    /// <summary>The writer's enum.</summary>
    public new EnumSchema Writer => (EnumSchema)base.Writer;

    /// <summary>The reader's enum.</summary>
    public new EnumSchema Reader => (EnumSchema)base.Reader;

    /// <summary>For each writer symbol index, the reader symbol index, or -1 when reading it is an error.</summary>
    public IReadOnlyList<int> SymbolMap => _map;

    /// <summary>The writer symbols that cannot be read (unknown to the reader, which has no default).</summary>
    public IEnumerable<string> UnreadableSymbols => Writer.Symbols.Where((_, i) => _map[i] < 0);

    /// <summary>The reader's symbol for writer symbol index <paramref name="writerIndex"/>.</summary>
    /// <exception cref="AvroValueException">The reader cannot read that symbol, or the index is out of range.</exception>
    public string MapSymbol(int writerIndex, string path = "")
    {
        if ((uint)writerIndex >= (uint)_map.Length)
        {
            throw new AvroValueException(
                $"Enum index {writerIndex} is out of range for the writer's {Writer.FullName} ({_map.Length} symbols).", path);
        }

        var index = _map[writerIndex];
        return index >= 0
            ? Reader.Symbols[index]
            : throw new AvroValueException(
                $"The writer's symbol '{Writer.Symbols[writerIndex]}' is not a symbol of the reader's enum {Reader.FullName}, which has no default.",
                path);
    }
}
