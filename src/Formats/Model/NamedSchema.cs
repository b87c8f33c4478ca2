using System.Text.Json.Nodes;

namespace Streams.Formats.Model;

/// <summary>A record, enum or fixed: a schema with a full name, namespace, aliases and doc.</summary>
public abstract class NamedSchema : Schema
{
    private protected NamedSchema(SchemaName name, IReadOnlyList<SchemaName>? aliases, string? doc,
        LogicalType? logicalType, IReadOnlyDictionary<string, JsonNode?>? properties)
        : base(logicalType, properties)
    {
        Name = name;
        Aliases = aliases ?? [];
        Doc = doc;
    }

    /// <summary>The schema's name with its namespace.</summary>
    public SchemaName Name { get; }

    /// <summary>Alternative full names, used by schema resolution.</summary>
    public IReadOnlyList<SchemaName> Aliases { get; }

    /// <summary>Documentation, or <c>null</c>.</summary>
    public string? Doc { get; }

    /// <summary>The full name: namespace, a dot, and the name.</summary>
    public string FullName => Name.FullName;

    /// <inheritdoc />
    public override string DisplayName => $"{TypeName(Type)} {FullName}";
}
