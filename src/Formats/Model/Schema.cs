using System.Text.Json.Nodes;

namespace Streams.Formats.Model;

/// <summary>
/// A node of the shared schema model. Every format (Avro, Parquet, CSV, JSON lines), the registry,
/// the catalog and the pipelines describe records with these types; the type system is Avro's
/// because it is the richest of the formats the lake holds and maps losslessly to the others.
/// </summary>
/// <remarks>
/// Schemas are immutable once built, except that a <see cref="RecordSchema"/>'s fields are set once
/// after construction so that recursive types can refer to themselves. Equality is by reference;
/// structural comparison goes through the Avro parsing canonical form.
/// </remarks>
public abstract class Schema
{
    private protected Schema(LogicalType? logicalType, IReadOnlyDictionary<string, JsonNode?>? properties)
    {
        LogicalType = logicalType;
        Properties = properties ?? EmptyProperties;
    }

    internal static readonly IReadOnlyDictionary<string, JsonNode?> EmptyProperties =
        new Dictionary<string, JsonNode?>(0);

    /// <summary>The kind of this schema.</summary>
    public abstract SchemaType Type { get; }

    /// <summary>The logical type annotating this schema, or <c>null</c> when there is none (or it was invalid).</summary>
    public LogicalType? LogicalType { get; }

    /// <summary>Attributes of the schema's JSON that the specification does not define, kept verbatim.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Properties { get; }

    /// <summary>True for <see cref="SchemaType.Null"/>.</summary>
    public bool IsNull => Type == SchemaType.Null;

    /// <summary>
    /// For a union of <c>null</c> and exactly one other branch (a nullable column), that other branch;
    /// otherwise <c>null</c>.
    /// </summary>
    public Schema? NonNullBranch =>
        this is UnionSchema { Branches.Count: 2 } u
            ? (u.Branches[0].IsNull ? u.Branches[1] : u.Branches[1].IsNull ? u.Branches[0] : null)
            : null;

    /// <summary>A short human-readable name of the type, for messages: <c>int</c>, <c>record com.acme.Order</c>, ...</summary>
    public virtual string DisplayName =>
        LogicalType is null ? TypeName(Type) : $"{TypeName(Type)} ({LogicalType.Name})";

    /// <summary>The Avro name of a schema kind: <c>null</c>, <c>boolean</c>, ...</summary>
    public static string TypeName(SchemaType type) => type switch
    {
        SchemaType.Null => "null",
        SchemaType.Boolean => "boolean",
        SchemaType.Int => "int",
        SchemaType.Long => "long",
        SchemaType.Float => "float",
        SchemaType.Double => "double",
        SchemaType.Bytes => "bytes",
        SchemaType.String => "string",
        SchemaType.Record => "record",
        SchemaType.Enum => "enum",
        SchemaType.Array => "array",
        SchemaType.Map => "map",
        SchemaType.Union => "union",
        SchemaType.Fixed => "fixed",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <inheritdoc />
    public override string ToString() => DisplayName;
}
