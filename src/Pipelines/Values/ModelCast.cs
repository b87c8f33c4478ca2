using System.Globalization;
using System.Text;
using Streams.Formats.Model;
using Streams.Serving;

namespace Streams.Pipelines.Values;

/// <summary>
/// Converts record-model values to another model type (ApplyMapping's types, ResolveChoice's cast,
/// the expression language's CAST). A converter is built once per target schema; a value that cannot
/// be converted throws <see cref="InvalidCastException"/> naming the value and both types.
/// </summary>
public static class ModelCast
{
    private static readonly string[] TimestampFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd"];

    /// <summary>A converter of non-null values to <paramref name="target"/>'s CLR type; null stays null.</summary>
    public static Func<object?, object?> To(Schema target)
    {
        if (target.NonNullBranch is { } branch)
        {
            return To(branch);
        }

        Func<object, object> convert = target.LogicalType?.Name switch
        {
            LogicalType.DecimalName => v => ToDecimal(v, target.LogicalType.Precision, target.LogicalType.Scale),
            LogicalType.UuidName => v => v switch { Guid => v, string s => Guid.Parse(s), _ => throw Fail(v, target) },
            LogicalType.DateName => ToDate,
            LogicalType.TimestampMillisName or LogicalType.TimestampMicrosName => v => ToTimestamp(v, DateTimeKind.Utc),
            LogicalType.LocalTimestampMillisName or LogicalType.LocalTimestampMicrosName => v => ToTimestamp(v, DateTimeKind.Unspecified),
            _ => target.Type switch
            {
                SchemaType.Boolean => ToBoolean,
                SchemaType.Int => v => checked((int)ToLong(v)),
                SchemaType.Long => v => ToLong(v),
                SchemaType.Float => v => (float)ToDouble(v),
                SchemaType.Double => v => ToDouble(v),
                SchemaType.String => ToText,
                SchemaType.Enum => v => ((EnumSchema)target).IndexOf(ToText(v)) >= 0 ? ToText(v) : throw Fail(v, target),
                SchemaType.Bytes => v => v switch { byte[] => v, string s => Encoding.UTF8.GetBytes(s), _ => throw Fail(v, target) },
                SchemaType.Null => v => throw Fail(v, target),
                _ => v => Accepts(target, v) ? v : throw Fail(v, target),
            },
        };

        return value =>
        {
            if (value is null)
            {
                return null;
            }

            try
            {
                return convert(value);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or ArithmeticException)
            {
                throw Fail(value, target, e.Message);
            }
        };
    }

    /// <summary>True when <paramref name="value"/> is a CLR value of <paramref name="schema"/> (docs/record-model.md).</summary>
    public static bool Accepts(Schema schema, object? value)
    {
        if (value is null)
        {
            return schema.IsNull || (schema is UnionSchema u && u.Branches.Any(b => b.IsNull));
        }

        return schema switch
        {
            UnionSchema union => union.Branches.Any(b => Accepts(b, value)),
            { LogicalType.Name: LogicalType.DecimalName } => value is DecimalValue,
            { LogicalType.Name: LogicalType.UuidName } => value is Guid,
            { LogicalType.Name: LogicalType.DateName } => value is DateOnly,
            { LogicalType.Name: LogicalType.TimeMillisName or LogicalType.TimeMicrosName } => value is TimeOnly,
            { LogicalType.Name: LogicalType.DurationName } => value is DurationValue,
            { LogicalType.IsTimestamp: true } => value is DateTime || (schema.LogicalType.Name.EndsWith("nanos", StringComparison.Ordinal) && value is long),
            RecordSchema record => value is GenericRecord g && g.Schema.FullName == record.FullName,
            ArraySchema => value is System.Collections.IList,
            MapSchema => value is System.Collections.IDictionary,
            EnumSchema e => value is string s && e.IndexOf(s) >= 0,
            FixedSchema f => value is byte[] b && b.Length == f.Size,
            _ => schema.Type switch
            {
                SchemaType.Boolean => value is bool,
                SchemaType.Int => value is int,
                SchemaType.Long => value is long,
                SchemaType.Float => value is float,
                SchemaType.Double => value is double,
                SchemaType.Bytes => value is byte[],
                SchemaType.String => value is string,
                _ => false,
            },
        };
    }

    /// <summary>Text of a value: invariant numbers, ISO dates and timestamps, JSON for nested values.</summary>
    public static string ToText(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        DateTime dt => dt.Kind == DateTimeKind.Utc
            ? dt.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : dt.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        GenericRecord or System.Collections.IEnumerable => ModelJson.Serialize(value),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static InvalidCastException Fail(object value, Schema target, string? detail = null) =>
        new($"Cannot cast {ValueEquality.Format(value)} ({value.GetType().Name}) to {target.DisplayName}{(detail is null ? "" : ": " + detail.TrimEnd('.'))}.");

    private static long ToLong(object value) => value switch
    {
        int i => i,
        long l => l,
        float f => checked((long)f),
        double d => checked((long)d),
        decimal m => (long)decimal.Truncate(m),
        DecimalValue dv => (long)decimal.Truncate(dv.ToDecimal()),
        bool b => b ? 1 : 0,
        string s => long.Parse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        _ => throw new FormatException("not a number"),
    };

    private static double ToDouble(object value) => value switch
    {
        int i => i,
        long l => l,
        float f => f,
        double d => d,
        decimal m => (double)m,
        DecimalValue dv => (double)dv.ToDecimal(),
        string s => double.Parse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException("not a number"),
    };

    private static object ToBoolean(object value) => value switch
    {
        bool b => b,
        int i => i != 0,
        long l => l != 0,
        string s => s.Trim().ToLowerInvariant() switch
        {
            "true" or "t" or "yes" or "y" or "1" => true,
            "false" or "f" or "no" or "n" or "0" => false,
            _ => throw new FormatException("not a boolean"),
        },
        _ => throw new FormatException("not a boolean"),
    };

    private static object ToDecimal(object value, int precision, int scale)
    {
        var m = value switch
        {
            DecimalValue dv => dv.ToDecimal(),
            decimal d => d,
            int i => i,
            long l => l,
            float f => (decimal)f,
            double d => (decimal)d,
            string s => decimal.Parse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => throw new FormatException("not a number"),
        };
        var result = DecimalValue.FromDecimal(decimal.Round(m, scale, MidpointRounding.AwayFromZero)).Rescale(scale);
        if (precision > 0 && System.Numerics.BigInteger.Abs(result.Unscaled).ToString(CultureInfo.InvariantCulture).Length > precision)
        {
            throw new OverflowException($"{result} has more than {precision} digits");
        }

        return result;
    }

    private static object ToDate(object value) => value switch
    {
        DateOnly d => d,
        DateTime dt => DateOnly.FromDateTime(dt),
        int days => DateOnly.FromDayNumber(new DateOnly(1970, 1, 1).DayNumber + days),
        string s => DateOnly.ParseExact(s.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => throw new FormatException("not a date"),
    };

    private static object ToTimestamp(object value, DateTimeKind kind) => value switch
    {
        DateTime dt when kind == DateTimeKind.Utc => dt.Kind switch
        {
            DateTimeKind.Utc => dt,
            DateTimeKind.Local => dt.ToUniversalTime(),
            _ => DateTime.SpecifyKind(dt, DateTimeKind.Utc),
        },
        DateTime dt => DateTime.SpecifyKind(dt, DateTimeKind.Unspecified),
        DateOnly d => d.ToDateTime(TimeOnly.MinValue, kind),
        long millis => DateTime.SpecifyKind(DateTime.UnixEpoch.AddMilliseconds(millis), kind),
        string s when kind == DateTimeKind.Utc => DateTime.ParseExact(s.Trim(), TimestampFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        string s => DateTime.ParseExact(s.Trim(), TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None),
        _ => throw new FormatException("not a timestamp"),
    };
}
