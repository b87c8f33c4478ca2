using System.Buffers.Binary;
using System.Numerics;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Logical;

/// <summary>
/// Converts between the values of a logical type's underlying Avro type (<c>int</c>, <c>long</c>,
/// <c>string</c>, <c>byte[]</c>) and the CLR values docs/record-model.md assigns to the logical type.
/// Every codec (JSON, binary) goes through these so that all agree on ranges and rounding.
/// </summary>
/// <remarks>
/// Writing a time or timestamp keeps whole units of the logical type and drops finer ticks, rounding
/// towards the past (a <see cref="DateTime"/> holds 100 ns ticks, timestamp-millis holds milliseconds),
/// as the Java and Python implementations do. Reading a value outside the CLR type's range
/// (a date past year 9999) is an error, never a silent wrap.
/// </remarks>
public static class AvroLogicalValues
{
    private const long TicksPerMicrosecond = 10;
    private const long TicksPerMillisecond = 10_000;

    /// <summary>
    /// The logical value of <paramref name="underlying"/>, the decoded value of <paramref name="schema"/>'s
    /// underlying type; <paramref name="underlying"/> itself when the schema has no logical type.
    /// </summary>
    /// <exception cref="AvroValueException">The value is out of the logical type's range.</exception>
    public static object ToLogical(Schema schema, object underlying, string path = "")
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(underlying);
        var logical = schema.LogicalType;
        if (logical is null)
        {
            return underlying;
        }

        return (logical.Name, underlying) switch
        {
            (LogicalType.DecimalName, byte[] bytes) => AvroLogical.DecimalFromBytes(bytes, logical.Scale),
            (LogicalType.UuidName, string s) => UuidFromString(s, path),
            (LogicalType.UuidName, byte[] bytes) => new Guid(bytes, bigEndian: true),
            (LogicalType.DateName, int days) => DateFromDays(days, path),
            (LogicalType.TimeMillisName, int ms) => TimeFromTicks(ms, TicksPerMillisecond, "time-millis", path),
            (LogicalType.TimeMicrosName, long us) => TimeFromTicks(us, TicksPerMicrosecond, "time-micros", path),
            (LogicalType.TimestampMillisName, long ms) => TimestampFromTicks(ms, TicksPerMillisecond, DateTimeKind.Utc, path),
            (LogicalType.TimestampMicrosName, long us) => TimestampFromTicks(us, TicksPerMicrosecond, DateTimeKind.Utc, path),
            (LogicalType.LocalTimestampMillisName, long ms) => TimestampFromTicks(ms, TicksPerMillisecond, DateTimeKind.Unspecified, path),
            (LogicalType.LocalTimestampMicrosName, long us) => TimestampFromTicks(us, TicksPerMicrosecond, DateTimeKind.Unspecified, path),
            (LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName, long ns) => ns,
            (LogicalType.DurationName, byte[] bytes) => new DurationValue(
                BinaryPrimitives.ReadUInt32LittleEndian(bytes), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)),
                BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8))),
            _ => throw new AvroValueException(
                $"A {underlying.GetType().Name} is not a value of the underlying type of {schema.DisplayName}.", path),
        };
    }

    /// <summary>
    /// The underlying Avro value (<c>int</c>, <c>long</c>, <c>string</c> or <c>byte[]</c>) of
    /// <paramref name="value"/>, a value of <paramref name="schema"/>'s logical type.
    /// </summary>
    /// <exception cref="AvroValueException">The value has the wrong CLR type or does not fit the logical type.</exception>
    public static object ToUnderlying(Schema schema, object value, string path = "")
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(value);
        var logical = schema.LogicalType;
        if (logical is null)
        {
            return value;
        }

        var fixedSize = (schema as FixedSchema)?.Size;
        return (logical.Name, value) switch
        {
            (LogicalType.DecimalName, DecimalValue d) => DecimalToBytes(d, logical, fixedSize, path),
            (LogicalType.DecimalName, decimal d) => DecimalToBytes(DecimalValue.FromDecimal(d), logical, fixedSize, path),
            (LogicalType.UuidName, Guid g) when fixedSize is null => g.ToString("D"),
            (LogicalType.UuidName, Guid g) => g.ToByteArray(bigEndian: true),
            (LogicalType.DateName, DateOnly d) => AvroLogical.DaysFromDate(d),
            (LogicalType.TimeMillisName, TimeOnly t) => (int)(t.Ticks / TicksPerMillisecond),
            (LogicalType.TimeMicrosName, TimeOnly t) => t.Ticks / TicksPerMicrosecond,
            (LogicalType.TimestampMillisName, DateTime t) => AvroLogical.FloorDiv(Utc(t).Ticks - AvroLogical.EpochTicks, TicksPerMillisecond),
            (LogicalType.TimestampMicrosName, DateTime t) => AvroLogical.FloorDiv(Utc(t).Ticks - AvroLogical.EpochTicks, TicksPerMicrosecond),
            (LogicalType.LocalTimestampMillisName, DateTime t) => AvroLogical.FloorDiv(t.Ticks - AvroLogical.EpochTicks, TicksPerMillisecond),
            (LogicalType.LocalTimestampMicrosName, DateTime t) => AvroLogical.FloorDiv(t.Ticks - AvroLogical.EpochTicks, TicksPerMicrosecond),
            (LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName, long ns) => ns,
            (LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName, int ns) => (long)ns,
            (LogicalType.DurationName, DurationValue d) => DurationToBytes(d),
            _ => throw new AvroValueException(
                $"A {value.GetType().Name} is not a value of {schema.DisplayName}; expected {ExpectedClrType(schema)}.", path),
        };
    }

    /// <summary>The CLR type docs/record-model.md maps <paramref name="schema"/> to, for messages.</summary>
    public static string ExpectedClrType(Schema schema) => schema.LogicalType?.Name switch
    {
        LogicalType.DecimalName => nameof(DecimalValue),
        LogicalType.UuidName => nameof(Guid),
        LogicalType.DateName => nameof(DateOnly),
        LogicalType.TimeMillisName or LogicalType.TimeMicrosName => nameof(TimeOnly),
        LogicalType.TimestampMillisName or LogicalType.TimestampMicrosName => "DateTime (UTC)",
        LogicalType.LocalTimestampMillisName or LogicalType.LocalTimestampMicrosName => nameof(DateTime),
        LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName => "Int64 nanoseconds",
        LogicalType.DurationName => nameof(DurationValue),
        _ => schema switch
        {
            PrimitiveSchema { Type: SchemaType.Null } => "null",
            PrimitiveSchema { Type: SchemaType.Boolean } => "Boolean",
            PrimitiveSchema { Type: SchemaType.Int } => "Int32",
            PrimitiveSchema { Type: SchemaType.Long } => "Int64",
            PrimitiveSchema { Type: SchemaType.Float } => "Single",
            PrimitiveSchema { Type: SchemaType.Double } => "Double",
            PrimitiveSchema { Type: SchemaType.Bytes } => "Byte[]",
            PrimitiveSchema { Type: SchemaType.String } => "String",
            RecordSchema r => $"GenericRecord of {r.FullName}",
            EnumSchema e => $"a symbol of {e.FullName} (String)",
            ArraySchema => "a list",
            MapSchema => "a dictionary with string keys",
            FixedSchema f => $"Byte[{f.Size}]",
            _ => schema.DisplayName,
        },
    };

    /// <summary>The date <paramref name="days"/> days after 1970-01-01.</summary>
    public static DateOnly DateFromDays(int days, string path = "")
    {
        var dayNumber = (long)AvroLogical.EpochDayNumber + days;
        return dayNumber is < 0 or > 3_652_058
            ? throw new AvroValueException($"Date {days} days from the epoch is outside the years 1 to 9999.", path)
            : DateOnly.FromDayNumber((int)dayNumber);
    }

    private static TimeOnly TimeFromTicks(long units, long ticksPerUnit, string name, string path) =>
        units < 0 || units >= TimeSpan.TicksPerDay / ticksPerUnit
            ? throw new AvroValueException($"{name} {units} is not a time of day (0 to 24 h excluded).", path)
            : new TimeOnly(units * ticksPerUnit);

    private static DateTime TimestampFromTicks(long units, long ticksPerUnit, DateTimeKind kind, string path)
    {
        if (units < (DateTime.MinValue.Ticks - AvroLogical.EpochTicks) / ticksPerUnit
            || units > (DateTime.MaxValue.Ticks - AvroLogical.EpochTicks) / ticksPerUnit)
        {
            throw new AvroValueException(
                $"Timestamp {units} {(ticksPerUnit == TicksPerMillisecond ? "ms" : "µs")} from the epoch is outside the years 1 to 9999.",
                path);
        }

        return new DateTime(AvroLogical.EpochTicks + units * ticksPerUnit, kind);
    }

    private static DateTime Utc(DateTime t) => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t;

    private static Guid UuidFromString(string s, string path) =>
        Guid.TryParseExact(s, "D", out var guid)
            ? guid
            : throw new AvroValueException($"\"{s}\" is not a UUID in the 8-4-4-4-12 hex form.", path);

    private static byte[] DecimalToBytes(DecimalValue value, LogicalType logical, int? fixedSize, string path)
    {
        DecimalValue scaled;
        try
        {
            scaled = value.Rescale(logical.Scale);
        }
        catch (ArithmeticException)
        {
            throw new AvroValueException(
                $"Decimal {value} has more than {logical.Scale} fractional digits, the scale of decimal({logical.Precision}, {logical.Scale}).",
                path);
        }

        if (BigInteger.Abs(scaled.Unscaled) >= BigInteger.Pow(10, logical.Precision))
        {
            throw new AvroValueException(
                $"Decimal {value} has more than {logical.Precision} digits, the precision of decimal({logical.Precision}, {logical.Scale}).",
                path);
        }

        var minimal = scaled.Unscaled.ToByteArray(isUnsigned: false, isBigEndian: true);
        if (fixedSize is not { } size)
        {
            return minimal;
        }

        if (minimal.Length > size)
        {
            throw new AvroValueException($"Decimal {value} does not fit in {size} bytes.", path);
        }

        // Sign-extend the two's complement to the fixed size.
        var bytes = new byte[size];
        bytes.AsSpan(0, size - minimal.Length).Fill(scaled.Unscaled.Sign < 0 ? (byte)0xFF : (byte)0);
        minimal.CopyTo(bytes, size - minimal.Length);
        return bytes;
    }

    private static byte[] DurationToBytes(DurationValue d)
    {
        var bytes = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, d.Months);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), d.Days);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), d.Milliseconds);
        return bytes;
    }
}
