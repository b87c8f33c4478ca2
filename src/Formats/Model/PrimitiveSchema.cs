using System.Text.Json.Nodes;

namespace Streams.Formats.Model;

/// <summary>One of the eight primitive types, optionally annotated by a logical type.</summary>
public sealed class PrimitiveSchema : Schema
{
    /// <summary>Creates a primitive schema; <paramref name="type"/> must be a primitive kind.</summary>
    public PrimitiveSchema(SchemaType type, LogicalType? logicalType = null,
        IReadOnlyDictionary<string, JsonNode?>? properties = null)
        : base(logicalType, properties)
    {
        if (type > SchemaType.String)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not a primitive type.");
        }

        Type = type;
    }

    /// <inheritdoc />
    public override SchemaType Type { get; }

    /// <summary>Shared instances of the unannotated primitives.</summary>
    public static PrimitiveSchema Null { get; } = new(SchemaType.Null);

    /// <inheritdoc cref="Null" />
    public static PrimitiveSchema Boolean { get; } = new(SchemaType.Boolean);

    /// <inheritdoc cref="Null" />
    public static PrimitiveSchema Int { get; } = new(SchemaType.Int);

    /// <inheritdoc cref="Null" />
    public static PrimitiveSchema Long { get; } = new(SchemaType.Long);

    /// <inheritdoc cref="Null" />
    public static PrimitiveSchema Float { get; } = new(SchemaType.Float);

    /// <inheritdoc cref="Null" />
    public static PrimitiveSchema Double { get; } = new(SchemaType.Double);

    /// <inheritdoc cref="Null" />
    public static PrimitiveSchema Bytes { get; } = new(SchemaType.Bytes);

    /// <inheritdoc cref="Null" />
    public static PrimitiveSchema String { get; } = new(SchemaType.String);

    /// <summary>The shared unannotated instance for a primitive kind.</summary>
    public static PrimitiveSchema Of(SchemaType type) => type switch
    {
        SchemaType.Null => Null,
        SchemaType.Boolean => Boolean,
        SchemaType.Int => Int,
        SchemaType.Long => Long,
        SchemaType.Float => Float,
        SchemaType.Double => Double,
        SchemaType.Bytes => Bytes,
        SchemaType.String => String,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a primitive type."),
    };
}
