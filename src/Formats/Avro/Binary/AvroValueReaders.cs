using Streams.Formats.Avro.Logical;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Binary;

/// <summary>
/// The leaf readers of the decoding plans: one delegate per primitive or logical type producing the CLR
/// value of docs/record-model.md, shared by the plain and the resolving reader compilers.
/// </summary>
internal static class AvroValueReaders
{
    internal delegate object? ValueReader(ref AvroReader reader);

    // Boxed once: booleans and small numbers (counts, flags, codes) are the bulk of many records, and a
    // decoded record is otherwise one allocation per value.
    private const int BoxedMin = -128;
    private const int BoxedMax = 1023;
    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly object[] Ints = Enumerable.Range(BoxedMin, BoxedMax - BoxedMin + 1).Select(i => (object)i).ToArray();
    private static readonly object[] Longs = Enumerable.Range(BoxedMin, BoxedMax - BoxedMin + 1).Select(i => (object)(long)i).ToArray();

    /// <summary>A boxed int, shared for small values.</summary>
    public static object Box(int value) => value is >= BoxedMin and <= BoxedMax ? Ints[value - BoxedMin] : value;

    /// <summary>A boxed long, shared for small values.</summary>
    public static object Box(long value) => value is >= BoxedMin and <= BoxedMax ? Longs[value - BoxedMin] : value;

    /// <summary>The reader of a value of <paramref name="schema"/> exactly as written, for non-composite schemas.</summary>
    public static ValueReader? Leaf(Schema schema)
    {
        var logical = AvroLogical.EffectiveLogicalName(schema);
        switch (schema.Type, logical)
        {
            case (SchemaType.Null, _):
                return static (ref AvroReader _) => null;
            case (SchemaType.Boolean, _):
                return static (ref AvroReader r) => r.ReadBoolean() ? True : False;
            case (SchemaType.Int, null):
                return static (ref AvroReader r) => Box(r.ReadInt());
            case (SchemaType.Int, LogicalType.DateName):
                return static (ref AvroReader r) =>
                {
                    var start = r.Position;
                    var days = r.ReadInt();
                    try
                    {
                        return AvroLogicalValues.DateFromDays(days);
                    }
                    catch (AvroValueException e)
                    {
                        throw r.Malformed(e.Reason, start);
                    }
                };
            case (SchemaType.Int, _): // time-millis
                return static (ref AvroReader r) =>
                {
                    var start = r.Position;
                    var millis = r.ReadInt();
                    return millis is >= 0 and < 86_400_000
                        ? new TimeOnly(millis * TimeSpan.TicksPerMillisecond)
                        : throw r.Malformed($"time-millis {millis} is not a time of day", start);
                };
            case (SchemaType.Long, null or LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName):
                return static (ref AvroReader r) => Box(r.ReadLong());
            case (SchemaType.Long, LogicalType.TimeMicrosName):
                return static (ref AvroReader r) =>
                {
                    var start = r.Position;
                    var micros = r.ReadLong();
                    return micros is >= 0 and < 86_400_000_000L
                        ? new TimeOnly(micros * 10)
                        : throw r.Malformed($"time-micros {micros} is not a time of day", start);
                };
            case (SchemaType.Long, _):
                return Timestamp(logical!);
            case (SchemaType.Float, _):
                return static (ref AvroReader r) => r.ReadFloat();
            case (SchemaType.Double, _):
                return static (ref AvroReader r) => r.ReadDouble();
            case (SchemaType.Bytes, null):
                return static (ref AvroReader r) => r.ReadBytes();
            case (SchemaType.Bytes, _):
                var scale = schema.LogicalType!.Scale;
                return (ref AvroReader r) => AvroLogical.DecimalFromBytes(r.ReadBytesSpan(), scale);
            case (SchemaType.String, null):
                return static (ref AvroReader r) => r.ReadString();
            case (SchemaType.String, _):
                return static (ref AvroReader r) =>
                {
                    var start = r.Position;
                    var text = r.ReadString();
                    return Guid.TryParse(text, out var guid) ? guid : throw r.Malformed($"'{text}' is not a uuid", start);
                };
            case (SchemaType.Fixed, _):
                return Fixed((FixedSchema)schema, logical);
            case (SchemaType.Enum, _):
                var symbols = ((EnumSchema)schema).Symbols.ToArray();
                return (ref AvroReader r) =>
                {
                    var start = r.Position;
                    var index = r.ReadInt();
                    return (uint)index < (uint)symbols.Length
                        ? symbols[index]
                        : throw r.Malformed($"Enum index {index} is out of range for {schema.DisplayName} ({symbols.Length} symbols)", start);
                };
            default:
                return null;
        }
    }

    private static ValueReader Timestamp(string logical)
    {
        var kind = logical.StartsWith("local-", StringComparison.Ordinal) ? DateTimeKind.Unspecified : DateTimeKind.Utc;
        var ticksPerUnit = logical.EndsWith("millis", StringComparison.Ordinal) ? TimeSpan.TicksPerMillisecond : 10;
        return (ref AvroReader r) =>
        {
            var start = r.Position;
            var units = r.ReadLong();
            return AvroLogical.DateTimeFromUnits(units, ticksPerUnit, kind)
                ?? throw r.Malformed($"{logical} {units} is outside 0001-01-01..9999-12-31", start);
        };
    }

    private static ValueReader Fixed(FixedSchema schema, string? logical)
    {
        var size = schema.Size;
        switch (logical)
        {
            case LogicalType.DecimalName:
                var scale = schema.LogicalType!.Scale;
                return (ref AvroReader r) => AvroLogical.DecimalFromBytes(r.ReadFixed(size), scale);
            case LogicalType.UuidName:
                return static (ref AvroReader r) => new Guid(r.ReadFixed(16), bigEndian: true);
            case LogicalType.DurationName:
                return static (ref AvroReader r) => AvroLogical.DurationFromBytes(r.ReadFixed(12));
            default:
                return (ref AvroReader r) => r.ReadFixed(size).ToArray();
        }
    }

    /// <summary>
    /// The smallest encoded size of a value of <paramref name="schema"/> (0 for null and records of nulls), used
    /// to reject a block count that the remaining bytes cannot hold before allocating for it.
    /// </summary>
    public static int MinimumSize(Schema schema, int depth = 0) => schema switch
    {
        { Type: SchemaType.Null } => 0,
        { Type: SchemaType.Float } => 4,
        { Type: SchemaType.Double } => 8,
        FixedSchema f => f.Size,
        RecordSchema r when depth < 8 => r.Fields.Sum(f => MinimumSize(f.Schema, depth + 1)),
        RecordSchema => 0,
        UnionSchema => 1,
        _ => 1,
    };
}
