using System.Globalization;
using System.Text.Json;
using Streams.Formats.Avro;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Logical;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Json;

/// <summary>
/// Renders model values as plain JSON for people and tools (not Avro's JSON encoding): unions unwrapped, field
/// order kept, dates and times as ISO-8601 text, decimals as strings (no precision lost to doubles), bytes and
/// fixed as base64, uuids as strings, durations as <c>{"months","days","milliseconds"}</c>, non-finite floats as
/// <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>. Compiled once per schema like the binary plans.
/// </summary>
internal static class JsonValueRenderer
{
    internal delegate void Render(Utf8JsonWriter writer, object? value);

    /// <summary>The ISO-8601 formats of each time and timestamp logical type.</summary>
    internal const string TimeMillisFormat = "HH:mm:ss.fff";
    internal const string TimeMicrosFormat = "HH:mm:ss.ffffff";
    internal const string DateFormat = "yyyy-MM-dd";

    public static Render Compile(Schema schema) => new Compiler().Compile(schema, AvroDatumWriter.RootPath(schema));

    private sealed class Compiler
    {
        private readonly Dictionary<RecordSchema, RecordRender> _records = new(ReferenceEqualityComparer.Instance);

        public Render Compile(Schema schema, string path)
        {
            var logical = AvroLogical.EffectiveLogicalName(schema);
            switch (schema.Type, logical)
            {
                case (SchemaType.Null, _):
                    return (w, v) =>
                    {
                        if (v is not null)
                        {
                            throw Mismatch(path, schema, v);
                        }

                        w.WriteNullValue();
                    };
                case (SchemaType.Boolean, _):
                    return (w, v) => w.WriteBooleanValue(v as bool? ?? throw Mismatch(path, schema, v));
                case (SchemaType.Int, null):
                    return (w, v) => w.WriteNumberValue(v as int? ?? throw Mismatch(path, schema, v));
                case (SchemaType.Long, null):
                    return (w, v) => w.WriteNumberValue(v switch { long l => l, int i => i, _ => throw Mismatch(path, schema, v) });
                case (SchemaType.Long, LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName):
                    var utcNanos = logical == LogicalType.TimestampNanosName;
                    return (w, v) =>
                    {
                        var nanos = v switch { long l => l, int i => i, _ => throw Mismatch(path, schema, v) };
                        w.WriteStringValue(FormatNanos(nanos, utcNanos) ?? throw new AvroValueException(
                            $"{logical} {nanos} is outside 0001-01-01..9999-12-31.", path));
                    };
                case (SchemaType.Float, _):
                    return (w, v) =>
                    {
                        var f = v switch { float x => x, int i => i, long l => l, _ => throw Mismatch(path, schema, v) };
                        if (float.IsFinite(f))
                        {
                            w.WriteNumberValue(f);
                        }
                        else
                        {
                            w.WriteStringValue(NonFinite(f));
                        }
                    };
                case (SchemaType.Double, _):
                    return (w, v) =>
                    {
                        var d = v switch { double x => x, float f => f, int i => i, long l => l, _ => throw Mismatch(path, schema, v) };
                        if (double.IsFinite(d))
                        {
                            w.WriteNumberValue(d);
                        }
                        else
                        {
                            w.WriteStringValue(NonFinite(d));
                        }
                    };
                case (SchemaType.Bytes or SchemaType.Fixed, null):
                    return (w, v) => w.WriteBase64StringValue(v as byte[] ?? throw Mismatch(path, schema, v));
                case (_, LogicalType.DecimalName):
                    return (w, v) => w.WriteStringValue(v switch
                    {
                        DecimalValue d => d.ToString(),
                        decimal m => m.ToString(CultureInfo.InvariantCulture),
                        _ => throw Mismatch(path, schema, v),
                    });
                case (_, LogicalType.UuidName):
                    return (w, v) => w.WriteStringValue(v is Guid g ? g.ToString("D") : throw Mismatch(path, schema, v));
                case (SchemaType.Fixed, LogicalType.DurationName):
                    return (w, v) =>
                    {
                        var d = v as DurationValue? ?? throw Mismatch(path, schema, v);
                        w.WriteStartObject();
                        w.WriteNumber("months", d.Months);
                        w.WriteNumber("days", d.Days);
                        w.WriteNumber("milliseconds", d.Milliseconds);
                        w.WriteEndObject();
                    };
                case (SchemaType.Int, LogicalType.DateName):
                    return (w, v) => w.WriteStringValue(
                        (v as DateOnly? ?? throw Mismatch(path, schema, v)).ToString(DateFormat, CultureInfo.InvariantCulture));
                case (_, LogicalType.TimeMillisName or LogicalType.TimeMicrosName):
                    var timeFormat = logical == LogicalType.TimeMillisName ? TimeMillisFormat : TimeMicrosFormat;
                    return (w, v) => w.WriteStringValue(
                        (v as TimeOnly? ?? throw Mismatch(path, schema, v)).ToString(timeFormat, CultureInfo.InvariantCulture));
                case (SchemaType.Long, _): // the millis and micros timestamps
                    var utc = !logical!.StartsWith("local-", StringComparison.Ordinal);
                    var format = TimestampFormat(logical);
                    return (w, v) =>
                    {
                        if (!AvroLogical.TryGetTicksSinceEpoch(v, utc, out var ticks))
                        {
                            throw Mismatch(path, schema, v);
                        }

                        var dt = new DateTime(AvroLogical.EpochTicks + ticks, DateTimeKind.Unspecified);
                        w.WriteStringValue(dt.ToString(format, CultureInfo.InvariantCulture));
                    };
                case (SchemaType.String or SchemaType.Enum, _):
                    return (w, v) => w.WriteStringValue(v as string ?? throw Mismatch(path, schema, v));
                case (SchemaType.Array, _):
                    var item = Compile(((ArraySchema)schema).Items, SchemaPath.Items(path));
                    return (w, v) =>
                    {
                        var list = v as IReadOnlyList<object?> ?? throw Mismatch(path, schema, v);
                        w.WriteStartArray();
                        foreach (var element in list)
                        {
                            item(w, element);
                        }

                        w.WriteEndArray();
                    };
                case (SchemaType.Map, _):
                    var value = Compile(((MapSchema)schema).Values, SchemaPath.Values(path));
                    return (w, v) =>
                    {
                        var map = v as IReadOnlyDictionary<string, object?> ?? throw Mismatch(path, schema, v);
                        w.WriteStartObject();
                        foreach (var (key, entry) in map)
                        {
                            w.WritePropertyName(key);
                            value(w, entry);
                        }

                        w.WriteEndObject();
                    };
                case (SchemaType.Union, _):
                    var union = (UnionSchema)schema;
                    var branches = union.Branches.Select(b => Compile(b, path)).ToArray();
                    return (w, v) =>
                    {
                        var index = UnionBranchSelector.Select(union, v);
                        if (index < 0)
                        {
                            throw new AvroValueException($"No branch of {union.DisplayName} accepts {ValueEquality.Format(v)}.", path);
                        }

                        branches[index](w, v);
                    };
                case (SchemaType.Record, _):
                    var record = (RecordSchema)schema;
                    if (_records.TryGetValue(record, out var pending))
                    {
                        return pending.Write;
                    }

                    var plan = new RecordRender(record, path);
                    _records.Add(record, plan);
                    plan.Fields = record.Fields.Select(f => Compile(f.Schema, SchemaPath.Field(path, f.Name))).ToArray();
                    _records.Remove(record);
                    return plan.Write;
                default:
                    throw new ArgumentOutOfRangeException(nameof(schema), schema.Type, "Unknown schema type.");
            }
        }
    }

    private sealed class RecordRender(RecordSchema schema, string path)
    {
        private readonly JsonEncodedText[] _names = schema.Fields.Select(f => JsonEncodedText.Encode(f.Name)).ToArray();

        public Render[] Fields { get; set; } = [];

        public void Write(Utf8JsonWriter w, object? v)
        {
            if (v is not GenericRecord record || record.Schema.FullName != schema.FullName)
            {
                throw Mismatch(path, schema, v);
            }

            w.WriteStartObject();
            var values = record.Values;
            var byPosition = ReferenceEquals(record.Schema, schema);
            for (var i = 0; i < Fields.Length; i++)
            {
                w.WritePropertyName(_names[i]);
                Fields[i](w, byPosition ? values[i] : record[schema.Fields[i].Name]);
            }

            w.WriteEndObject();
        }
    }

    /// <summary>The .NET format string of a millis or micros timestamp: UTC ones end in Z, local ones carry no zone.</summary>
    internal static string TimestampFormat(string logical)
    {
        var fraction = logical.EndsWith("millis", StringComparison.Ordinal) ? "fff" : "ffffff";
        var zone = logical.StartsWith("local-", StringComparison.Ordinal) ? "" : "'Z'";
        return $"yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'{fraction}{zone}";
    }

    /// <summary>Nanoseconds since the epoch as ISO-8601 with nine fractional digits, or null beyond DateTime's range.</summary>
    internal static string? FormatNanos(long nanos, bool utc)
    {
        var ticks = AvroLogical.FloorDiv(nanos, 100);
        var rest = nanos - ticks * 100;
        var dt = AvroLogical.DateTimeFromTicksSinceEpoch(ticks, DateTimeKind.Unspecified);
        return dt is null
            ? null
            : dt.Value.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff", CultureInfo.InvariantCulture)
              + rest.ToString("00", CultureInfo.InvariantCulture) + (utc ? "Z" : "");
    }

    private static string NonFinite(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    private static AvroValueException Mismatch(string path, Schema schema, object? value) =>
        new($"{(value is null ? "null" : $"{ValueEquality.Format(value)} ({value.GetType().Name})")} is not a value of {schema.DisplayName}.", path);
}
