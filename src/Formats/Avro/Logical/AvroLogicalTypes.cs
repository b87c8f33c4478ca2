using System.Numerics;
using System.Text.Json.Nodes;
using Streams.Formats.Avro.Json;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Logical;

/// <summary>
/// Which logical types are valid on which underlying types (Avro specification, "Logical Types").
/// An invalid annotation is not an error: the specification says to ignore it and use the underlying type.
/// </summary>
internal static class AvroLogicalTypes
{
    /// <summary>
    /// The logical type <paramref name="node"/> declares, when valid on <paramref name="type"/> (with
    /// <paramref name="fixedSize"/> for fixed); otherwise <c>null</c>. <paramref name="usesPrecisionAndScale"/>
    /// tells whether the <c>precision</c> and <c>scale</c> attributes belong to the logical type.
    /// </summary>
    public static LogicalType? Resolve(JsonObject node, SchemaType type, int fixedSize, out bool usesPrecisionAndScale)
    {
        usesPrecisionAndScale = false;
        if (!node.TryGetPropertyValue("logicalType", out var nameNode) || nameNode is not JsonValue nameValue
            || !nameValue.TryGetValue<string>(out var name))
        {
            return null;
        }

        switch (name)
        {
            case LogicalType.DecimalName when type is SchemaType.Bytes or SchemaType.Fixed:
                var decimalType = Decimal(node, type == SchemaType.Fixed ? fixedSize : null);
                usesPrecisionAndScale = decimalType is not null;
                return decimalType;
            case LogicalType.UuidName when type == SchemaType.String || (type == SchemaType.Fixed && fixedSize == 16):
                return LogicalType.Uuid;
            case LogicalType.DateName when type == SchemaType.Int:
                return LogicalType.Date;
            case LogicalType.TimeMillisName when type == SchemaType.Int:
                return LogicalType.TimeMillis;
            case LogicalType.TimeMicrosName when type == SchemaType.Long:
                return LogicalType.TimeMicros;
            case LogicalType.TimestampMillisName when type == SchemaType.Long:
                return LogicalType.TimestampMillis;
            case LogicalType.TimestampMicrosName when type == SchemaType.Long:
                return LogicalType.TimestampMicros;
            case LogicalType.TimestampNanosName when type == SchemaType.Long:
                return LogicalType.TimestampNanos;
            case LogicalType.LocalTimestampMillisName when type == SchemaType.Long:
                return LogicalType.LocalTimestampMillis;
            case LogicalType.LocalTimestampMicrosName when type == SchemaType.Long:
                return LogicalType.LocalTimestampMicros;
            case LogicalType.LocalTimestampNanosName when type == SchemaType.Long:
                return LogicalType.LocalTimestampNanos;
            case LogicalType.DurationName when type == SchemaType.Fixed && fixedSize == 12:
                return LogicalType.Duration;
            default:
                return null;
        }
    }

    /// <summary>True when <paramref name="logicalType"/> may annotate the underlying <paramref name="type"/>.</summary>
    public static bool IsValidOn(LogicalType logicalType, SchemaType type, int fixedSize) => logicalType.Name switch
    {
        LogicalType.DecimalName => type is SchemaType.Bytes or SchemaType.Fixed
            && logicalType.Precision > 0 && logicalType.Scale >= 0 && logicalType.Scale <= logicalType.Precision
            && (type == SchemaType.Bytes || logicalType.Precision <= MaxDecimalPrecision(fixedSize)),
        LogicalType.UuidName => type == SchemaType.String || (type == SchemaType.Fixed && fixedSize == 16),
        LogicalType.DateName or LogicalType.TimeMillisName => type == SchemaType.Int,
        LogicalType.TimeMicrosName or LogicalType.TimestampMillisName or LogicalType.TimestampMicrosName
            or LogicalType.TimestampNanosName or LogicalType.LocalTimestampMillisName
            or LogicalType.LocalTimestampMicrosName or LogicalType.LocalTimestampNanosName => type == SchemaType.Long,
        LogicalType.DurationName => type == SchemaType.Fixed && fixedSize == 12,
        _ => false,
    };

    /// <summary>
    /// The largest decimal precision a fixed of <paramref name="size"/> bytes holds:
    /// floor(log10(2^(8·size − 1) − 1)), from the specification.
    /// </summary>
    public static int MaxDecimalPrecision(int size)
    {
        if (size <= 0)
        {
            return 0;
        }

        var max = (BigInteger.One << (8 * size - 1)) - 1;
        return max.IsZero ? 0 : max.ToString(System.Globalization.CultureInfo.InvariantCulture).Length - 1;
    }

    private static LogicalType? Decimal(JsonObject node, int? fixedSize)
    {
        if (!TryGetInt(node, "precision", out var precision) || precision <= 0)
        {
            return null;
        }

        var scale = 0;
        if (node.ContainsKey("scale") && !TryGetInt(node, "scale", out scale))
        {
            return null;
        }

        if (scale < 0 || scale > precision || (fixedSize is { } size && precision > MaxDecimalPrecision(size)))
        {
            return null;
        }

        return LogicalType.Decimal(precision, scale);
    }

    private static bool TryGetInt(JsonObject node, string name, out int value)
    {
        value = 0;
        return node.TryGetPropertyValue(name, out var n) && JsonNumber.TryGetInt32(n, out value);
    }
}
