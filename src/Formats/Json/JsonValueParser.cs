using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Streams.Formats.Avro;
using Streams.Formats.Avro.Json;
using Streams.Formats.Avro.Logical;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Json;

/// <summary>
/// Reads plain JSON (as <see cref="JsonValueRenderer"/> writes it, and as people and tools write JSON lines)
/// into model values of a target schema. Unions are unwrapped: the first branch (in order) that can take
/// the JSON value gets it. Dates, times and timestamps are ISO-8601 text (a number is taken as the Avro
/// encoding: days, or units since the epoch); decimals a string or number; bytes and fixed base64. A record
/// field missing from the JSON takes its default, or null when nullable; unknown properties are ignored.
/// </summary>
internal static class JsonValueParser
{
    internal delegate object? Parse(JsonElement json);

    /// <summary>ISO-8601 times of day: hours and minutes, seconds, and up to seven fractional digits.</summary>
    private static readonly string[] TimeFormats = ["HH':'mm':'ss.FFFFFFF", "HH':'mm':'ss", "HH':'mm"];

    public static Parse Compile(Schema schema) => new Compiler().Compile(schema, "");

    private sealed class Compiler
    {
        private readonly Dictionary<RecordSchema, RecordParse> _records = new(ReferenceEqualityComparer.Instance);

        public Parse Compile(Schema schema, string path)
        {
            var logical = AvroLogical.EffectiveLogicalName(schema);
            switch (schema.Type, logical)
            {
                case (SchemaType.Null, _):
                    return j => j.ValueKind == JsonValueKind.Null ? null : throw Mismatch(path, schema, j);
                case (SchemaType.Boolean, _):
                    return j => j.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw Mismatch(path, schema, j),
                    };
                case (SchemaType.Int, null):
                    return j => j.ValueKind == JsonValueKind.Number && j.TryGetInt32(out var i) ? i : throw Mismatch(path, schema, j);
                case (SchemaType.Long, null or LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName):
                    return j => j.ValueKind switch
                    {
                        JsonValueKind.Number when j.TryGetInt64(out var l) => l,
                        JsonValueKind.String when logical is not null => ParseNanos(j.GetString()!) ?? throw Mismatch(path, schema, j),
                        _ => throw Mismatch(path, schema, j),
                    };
                case (SchemaType.Float, _):
                    return j => (float)ParseDouble(j, path, schema);
                case (SchemaType.Double, _):
                    return j => ParseDouble(j, path, schema);
                case (SchemaType.Bytes, null):
                    return j => Base64(j, path, schema);
                case (SchemaType.Fixed, null):
                    var size = ((FixedSchema)schema).Size;
                    return j =>
                    {
                        var bytes = Base64(j, path, schema);
                        return bytes.Length == size
                            ? bytes
                            : throw new AvroValueException($"A {schema.DisplayName} takes {size} bytes, the base64 value has {bytes.Length}.", path);
                    };
                case (_, LogicalType.DecimalName):
                    var scale = schema.LogicalType!.Scale;
                    return j =>
                    {
                        var text = j.ValueKind switch
                        {
                            JsonValueKind.String => j.GetString()!,
                            JsonValueKind.Number => j.GetRawText(),
                            _ => throw Mismatch(path, schema, j),
                        };
                        try
                        {
                            return DecimalValue.Parse(text).Rescale(scale);
                        }
                        catch (Exception e) when (e is FormatException or ArithmeticException)
                        {
                            throw new AvroValueException($"'{text}' is not a decimal with at most {scale} digits after the point.", path);
                        }
                    };
                case (_, LogicalType.UuidName):
                    return j => j.ValueKind == JsonValueKind.String && Guid.TryParse(j.GetString(), out var g) ? g : throw Mismatch(path, schema, j);
                case (SchemaType.Fixed, LogicalType.DurationName):
                    return j => j.ValueKind == JsonValueKind.Object
                        && j.TryGetProperty("months", out var m) && m.TryGetUInt32(out var months)
                        && j.TryGetProperty("days", out var d) && d.TryGetUInt32(out var days)
                        && j.TryGetProperty("milliseconds", out var ms) && ms.TryGetUInt32(out var millis)
                            ? new DurationValue(months, days, millis)
                            : throw Mismatch(path, schema, j);
                case (SchemaType.Int, LogicalType.DateName):
                    return j => j.ValueKind switch
                    {
                        JsonValueKind.String when DateOnly.TryParseExact(j.GetString(), JsonValueRenderer.DateFormat,
                            CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) => date,
                        JsonValueKind.Number when j.TryGetInt32(out var days) => AvroLogicalValues.DateFromDays(days, path),
                        _ => throw Mismatch(path, schema, j),
                    };
                case (_, LogicalType.TimeMillisName or LogicalType.TimeMicrosName):
                    var unitTicks = logical == LogicalType.TimeMillisName ? TimeSpan.TicksPerMillisecond : 10;
                    return j => j.ValueKind switch
                    {
                        JsonValueKind.String when TimeOnly.TryParseExact(j.GetString(), TimeFormats, CultureInfo.InvariantCulture,
                            DateTimeStyles.None, out var t) => t,
                        JsonValueKind.Number when j.TryGetInt64(out var units) && units >= 0 && units < TimeSpan.TicksPerDay / unitTicks =>
                            new TimeOnly(units * unitTicks),
                        _ => throw Mismatch(path, schema, j),
                    };
                case (SchemaType.Long, _): // millis and micros timestamps
                    var utc = !logical!.StartsWith("local-", StringComparison.Ordinal);
                    var kind = utc ? DateTimeKind.Utc : DateTimeKind.Unspecified;
                    var tsUnitTicks = logical.EndsWith("millis", StringComparison.Ordinal) ? TimeSpan.TicksPerMillisecond : 10;
                    return j => j.ValueKind switch
                    {
                        JsonValueKind.String => ParseTimestamp(j.GetString()!, utc) ?? throw Mismatch(path, schema, j),
                        JsonValueKind.Number when j.TryGetInt64(out var units) =>
                            AvroLogical.DateTimeFromUnits(units, tsUnitTicks, kind) ?? throw Mismatch(path, schema, j),
                        _ => throw Mismatch(path, schema, j),
                    };
                case (SchemaType.String, _):
                    return j => j.ValueKind == JsonValueKind.String ? j.GetString() : throw Mismatch(path, schema, j);
                case (SchemaType.Enum, _):
                    var enumSchema = (EnumSchema)schema;
                    return j => j.ValueKind == JsonValueKind.String && enumSchema.IndexOf(j.GetString()!) >= 0
                        ? j.GetString()
                        : throw new AvroValueException(
                            $"{Describe(j)} is not a symbol of {schema.DisplayName} ({string.Join(", ", enumSchema.Symbols)}).", path);
                case (SchemaType.Array, _):
                    var item = Compile(((ArraySchema)schema).Items, SchemaPath.Items(path));
                    return j =>
                    {
                        if (j.ValueKind != JsonValueKind.Array)
                        {
                            throw Mismatch(path, schema, j);
                        }

                        var list = new List<object?>(j.GetArrayLength());
                        foreach (var element in j.EnumerateArray())
                        {
                            list.Add(item(element));
                        }

                        return list;
                    };
                case (SchemaType.Map, _):
                    var value = Compile(((MapSchema)schema).Values, SchemaPath.Values(path));
                    return j =>
                    {
                        if (j.ValueKind != JsonValueKind.Object)
                        {
                            throw Mismatch(path, schema, j);
                        }

                        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                        foreach (var property in j.EnumerateObject())
                        {
                            map[property.Name] = value(property.Value);
                        }

                        return map;
                    };
                case (SchemaType.Union, _):
                    return Union((UnionSchema)schema, path);
                case (SchemaType.Record, _):
                    var record = (RecordSchema)schema;
                    if (_records.TryGetValue(record, out var pending))
                    {
                        return pending.Read;
                    }

                    var plan = new RecordParse(record, path);
                    _records.Add(record, plan);
                    plan.Fields = record.Fields.Select(f => Compile(f.Schema, SchemaPath.Field(path, f.Name))).ToArray();
                    _records.Remove(record);
                    return plan.Read;
                default:
                    throw new ArgumentOutOfRangeException(nameof(schema), schema.Type, "Unknown schema type.");
            }
        }

        private Parse Union(UnionSchema union, string path)
        {
            var nullIndex = union.Branches.ToList().FindIndex(b => b.IsNull);
            var others = union.Branches.Where(b => !b.IsNull).ToArray();
            var parsers = others.Select(b => Compile(b, path)).ToArray();
            var primary = others.Select(b => Kinds(b, primary: true)).ToArray();
            var fallback = others.Select(b => Kinds(b, primary: false)).ToArray();
            var indexes = Enumerable.Range(0, others.Length).ToArray();
            var records = indexes.Where(i => others[i] is RecordSchema).ToArray();
            var maps = indexes.Where(i => others[i] is MapSchema).ToArray();
            return j =>
            {
                if (j.ValueKind == JsonValueKind.Null)
                {
                    return nullIndex >= 0 ? null : throw new AvroValueException($"{union.DisplayName} has no null branch.", path);
                }

                if (parsers.Length == 1)
                {
                    return parsers[0](j);
                }

                // The first branch that takes the value wins, as for unwrapped union values elsewhere in the model.
                // Branches written as this kind of JSON value come first (a number is an int before it is a
                // timestamp in epoch units); branches that cannot take it at all are not tried.
                return TryBranches(j, primary) is (true, var value) ? value
                    : TryBranches(j, fallback) is (true, var other) ? other
                    : throw new AvroValueException($"No branch of {union.DisplayName} accepts {Describe(j)}.", path);
            };

            (bool, object?) TryBranches(JsonElement j, JsonValueKind[][] kinds)
            {
                foreach (var i in Order(j))
                {
                    if (!kinds[i].Contains(j.ValueKind))
                    {
                        continue;
                    }

                    try
                    {
                        return (true, parsers[i](j));
                    }
                    catch (AvroValueException)
                    {
                    }
                }

                return (false, null);
            }

            // The order in which to try the branches: branch order, except for a JSON object when several branches
            // take objects. Plain JSON does not name the branch, and a record ignores unknown properties and
            // defaults missing ones, so it would take any object: records that know every property go first
            // (fewest fields left to defaults first), then maps, then records that do not know every property.
            IEnumerable<int> Order(JsonElement j)
            {
                if (j.ValueKind != JsonValueKind.Object || records.Length + maps.Length < 2)
                {
                    return indexes;
                }

                var ranked = records.Select(i => (Index: i, Mismatch: RecordMismatch((RecordSchema)others[i], j)))
                    .OrderBy(r => r.Mismatch).ToList();
                return ranked.Where(r => r.Mismatch < Unknown).Select(r => r.Index)
                    .Concat(maps)
                    .Concat(ranked.Where(r => r.Mismatch >= Unknown).Select(r => r.Index))
                    .Concat(indexes.Where(i => others[i] is not (RecordSchema or MapSchema)));
            }
        }

        /// <summary>The weight of one unknown property in <see cref="RecordMismatch"/>, above any count of missing fields.</summary>
        private const int Unknown = 1 << 20;

        /// <summary>How badly a JSON object fits a record: unknown properties weigh most, then missing fields.</summary>
        private static int RecordMismatch(RecordSchema record, JsonElement json)
        {
            var unknown = 0;
            var present = 0;
            foreach (var property in json.EnumerateObject())
            {
                if (record.GetField(property.Name) is null)
                {
                    unknown++;
                }
                else
                {
                    present++;
                }
            }

            return unknown * Unknown + (record.Fields.Count - present);
        }

        /// <summary>
        /// The kinds of JSON value a (non-null) schema is rendered as (<paramref name="primary"/>), or else also
        /// accepts (numbers for dates, times and timestamps in Avro units; strings for non-finite floats).
        /// </summary>
        private static JsonValueKind[] Kinds(Schema schema, bool primary) => (schema.Type, AvroLogical.EffectiveLogicalName(schema)) switch
        {
            (SchemaType.Boolean, _) => primary ? [JsonValueKind.True, JsonValueKind.False] : [],
            (SchemaType.Int or SchemaType.Long, null) => primary ? [JsonValueKind.Number] : [],
            (SchemaType.Int or SchemaType.Long, _) => primary ? [JsonValueKind.String] : [JsonValueKind.Number],
            (SchemaType.Float or SchemaType.Double, _) => primary ? [JsonValueKind.Number] : [JsonValueKind.String],
            (_, LogicalType.DecimalName) => primary ? [JsonValueKind.String] : [JsonValueKind.Number],
            (_, LogicalType.DurationName) => primary ? [JsonValueKind.Object] : [],
            (SchemaType.Bytes or SchemaType.Fixed or SchemaType.String or SchemaType.Enum, _) => primary ? [JsonValueKind.String] : [],
            (SchemaType.Array, _) => primary ? [JsonValueKind.Array] : [],
            (SchemaType.Map or SchemaType.Record, _) => primary ? [JsonValueKind.Object] : [],
            _ => [],
        };
    }

    private sealed class RecordParse
    {
        private readonly RecordSchema _schema;
        private readonly string _path;
        private readonly FrozenDictionary<string, int> _positions;
        private readonly byte[][] _utf8Names;

        public RecordParse(RecordSchema schema, string path)
        {
            _schema = schema;
            _path = path;
            _positions = schema.Fields.ToFrozenDictionary(f => f.Name, f => f.Position, StringComparer.Ordinal);
            _utf8Names = [.. schema.Fields.Select(f => System.Text.Encoding.UTF8.GetBytes(f.Name))];
        }

        public Parse[] Fields { get; set; } = [];

        public object? Read(JsonElement j)
        {
            if (j.ValueKind != JsonValueKind.Object)
            {
                throw Mismatch(_path, _schema, j);
            }

            var values = new object?[Fields.Length];
            Span<bool> seen = Fields.Length <= 256 ? stackalloc bool[Fields.Length] : new bool[Fields.Length];
            var expected = 0;
            foreach (var property in j.EnumerateObject())
            {
                // Writers mostly keep the schema's field order: comparing the next expected name's UTF-8 bytes in place
                // finds the field without making a string of every property name.
                int position;
                if (expected < _utf8Names.Length && property.NameEquals(_utf8Names[expected]))
                {
                    position = expected;
                }
                else if (!_positions.TryGetValue(property.Name, out position))
                {
                    continue;
                }

                values[position] = Fields[position](property.Value);
                seen[position] = true;
                expected = position + 1;
            }

            for (var i = 0; i < seen.Length; i++)
            {
                if (!seen[i])
                {
                    values[i] = Missing(_schema.Fields[i]);
                }
            }

            return new GenericRecord(_schema, values);
        }

        private object? Missing(Field field)
        {
            if (field.HasDefault)
            {
                return AvroJsonDecoder.DefaultValue(field);
            }

            if (field.Schema.IsNull || field.Schema is UnionSchema u && u.Branches.Any(b => b.IsNull))
            {
                return null;
            }

            throw new AvroValueException($"The required field '{field.Name}' ({field.Schema.DisplayName}) is missing.",
                SchemaPath.Field(_path, field.Name));
        }
    }

    private static double ParseDouble(JsonElement j, string path, Schema schema) => j.ValueKind switch
    {
        JsonValueKind.Number => j.GetDouble(),
        JsonValueKind.String => j.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => throw Mismatch(path, schema, j),
        },
        _ => throw Mismatch(path, schema, j),
    };

    private static byte[] Base64(JsonElement j, string path, Schema schema) =>
        j.ValueKind == JsonValueKind.String && j.TryGetBytesFromBase64(out var bytes)
            ? bytes
            : throw new AvroValueException($"{Describe(j)} is not base64 text, as {schema.DisplayName} values are written in JSON lines.", path);

    /// <summary>An ISO-8601 timestamp; text with an offset is converted to UTC, text without one is taken as it is.</summary>
    internal static DateTime? ParseTimestamp(string text, bool utc)
    {
        // A date and a time of day, as ISO-8601 writes them: a bare date is a date, not midnight of a timestamp.
        if (text.Length < 16 || text[10] is not ('T' or 't' or ' ')
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto))
        {
            return null;
        }

        var hasZone = text.EndsWith('Z') || text.EndsWith('z') || HasOffset(text);
        return utc
            ? DateTime.SpecifyKind(dto.UtcDateTime, DateTimeKind.Utc)
            : DateTime.SpecifyKind(hasZone ? dto.DateTime : dto.UtcDateTime, DateTimeKind.Unspecified);
    }

    /// <summary>An ISO-8601 timestamp with up to nine fractional digits as nanoseconds since the epoch.</summary>
    internal static long? ParseNanos(string text)
    {
        // DateTime keeps 7 fractional digits; the last two of nine are carried separately.
        var dot = text.IndexOf('.');
        var extra = 0L;
        var trimmed = text;
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            var digits = text[(dot + 1)..end];
            if (digits.Length > 9)
            {
                return null;
            }

            var padded = digits.PadRight(9, '0');
            extra = long.Parse(padded[7..], CultureInfo.InvariantCulture);
            trimmed = text[..(dot + 1)] + padded[..7] + text[end..];
        }

        var dt = ParseTimestamp(trimmed, utc: true);
        return dt is null ? null : (dt.Value.Ticks - AvroLogical.EpochTicks) * 100 + extra;
    }

    private static bool HasOffset(string text)
    {
        var t = text.IndexOf('T');
        return t >= 0 && (text.IndexOf('+', t) >= 0 || text.IndexOf('-', t) >= 0);
    }

    private static string Describe(JsonElement j)
    {
        var raw = j.GetRawText();
        return raw.Length > 60 ? raw[..57] + "..." : raw;
    }

    private static AvroValueException Mismatch(string path, Schema schema, JsonElement j) =>
        new($"{Describe(j)} is not a value of {schema.DisplayName}.", path);
}
