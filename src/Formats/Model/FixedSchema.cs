using System.Text.Json.Nodes;

namespace Streams.Formats.Model;

/// <summary>A fixed number of bytes. Values are carried as <c>byte[]</c> of exactly <see cref="Size"/> bytes.</summary>
public sealed class FixedSchema : NamedSchema
{
    /// <summary>Creates a fixed schema of <paramref name="size"/> bytes.</summary>
    public FixedSchema(SchemaName name, int size, LogicalType? logicalType = null, string? doc = null,
        IReadOnlyList<SchemaName>? aliases = null, IReadOnlyDictionary<string, JsonNode?>? properties = null)
        : base(name, aliases, doc, logicalType, properties)
    {
        if (size < 0)
        {
            throw new SchemaException($"Fixed {name.FullName} has a negative size {size}.", name.FullName);
        }

        Size = size;
    }

    /// <inheritdoc />
    public override SchemaType Type => SchemaType.Fixed;

    /// <summary>The number of bytes of every value.</summary>
    public int Size { get; }
}
