using System.Text.RegularExpressions;
using Streams.Formats.Model;

namespace Streams.Pipelines.Values;

/// <summary>
/// Type names used in pipeline specs: <c>boolean</c>, <c>int</c>, <c>long</c> (<c>bigint</c>), <c>float</c>,
/// <c>double</c>, <c>string</c>, <c>bytes</c>, <c>decimal(p,s)</c>, <c>date</c>, <c>timestamp</c> (UTC),
/// <c>local_timestamp</c>, <c>uuid</c>.
/// </summary>
public static partial class SchemaTypeNames
{
    /// <summary>The schema for a type name; throws <see cref="FormatException"/> for an unknown one.</summary>
    public static Schema Parse(string name)
    {
        var text = name.Trim().ToLowerInvariant();
        if (DecimalPattern().Match(text) is { Success: true } m)
        {
            return new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                m.Groups[2].Success ? int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 0));
        }

        return text switch
        {
            "boolean" or "bool" => PrimitiveSchema.Boolean,
            "int" or "integer" => PrimitiveSchema.Int,
            "long" or "bigint" => PrimitiveSchema.Long,
            "float" => PrimitiveSchema.Float,
            "double" => PrimitiveSchema.Double,
            "string" => PrimitiveSchema.String,
            "bytes" => PrimitiveSchema.Bytes,
            "date" => new PrimitiveSchema(SchemaType.Int, LogicalType.Date),
            "timestamp" => new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros),
            "local_timestamp" => new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMicros),
            "uuid" => new PrimitiveSchema(SchemaType.String, LogicalType.Uuid),
            _ => throw new FormatException(
                $"Unknown type '{name}'; use boolean, int, long, float, double, string, bytes, decimal(p,s), date, timestamp, local_timestamp or uuid."),
        };
    }

    /// <summary>A short name of a union branch, for make_cols/make_struct field names: <c>int</c>, <c>string</c>, <c>address</c>.</summary>
    public static string BranchName(Schema branch) => branch switch
    {
        NamedSchema named => named.Name.Name.ToLowerInvariant(),
        { LogicalType: { } logical } => logical.Name.Replace('-', '_'),
        _ => Schema.TypeName(branch.Type),
    };

    [GeneratedRegex(@"^(?:decimal|numeric)\((\d+)(?:,\s*(\d+))?\)$")]
    private static partial Regex DecimalPattern();
}
