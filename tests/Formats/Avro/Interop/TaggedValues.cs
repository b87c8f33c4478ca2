using System.Globalization;
using System.Text.Json.Nodes;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro.Interop;

/// <summary>
/// A type-tagged JSON rendering of values that a Python script can produce from and turn into python3-avro's
/// values exactly (floats by their bits, decimals as unscaled/scale, timestamps as epoch microseconds), so
/// that values compare exactly across the two implementations. It renders what python3-avro 1.11 reads:
/// the logical types it knows (decimal, date, time-*, timestamp-millis/micros) as Python objects, the others
/// (uuid, local timestamps, nanos, duration) as their underlying values.
/// </summary>
internal static class TaggedValues
{
    /// <summary>The Python half: <c>tag(v)</c> renders a python3-avro value, <c>untag(j)</c> builds one.</summary>
    public const string PythonHelpers = """
        import struct, datetime, decimal
        EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        def tag(v):
            if v is None or isinstance(v, bool): return v
            if isinstance(v, int): return {"i": str(v)}
            if isinstance(v, float): return {"f": struct.pack("<d", v).hex()}
            if isinstance(v, str): return {"s": v}
            if isinstance(v, bytes): return {"b": v.hex()}
            if isinstance(v, decimal.Decimal):
                sign, digits, exp = v.as_tuple()
                unscaled = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
                return {"d": [str(unscaled), -exp]}
            if isinstance(v, datetime.datetime):
                if v.tzinfo is None: v = v.replace(tzinfo=datetime.timezone.utc)
                return {"ts": str((v - EPOCH) // datetime.timedelta(microseconds=1))}
            if isinstance(v, datetime.date): return {"date": v.isoformat()}
            if isinstance(v, datetime.time):
                return {"time": str(((v.hour * 60 + v.minute) * 60 + v.second) * 1000000 + v.microsecond)}
            if isinstance(v, dict): return {"m": {k: tag(x) for k, x in v.items()}}
            if isinstance(v, list): return [tag(x) for x in v]
            raise TypeError(type(v))
        def untag(j):
            if j is None or isinstance(j, bool): return j
            if isinstance(j, list): return [untag(x) for x in j]
            (k, x), = j.items()
            if k == "i": return int(x)
            if k == "f": return struct.unpack("<d", bytes.fromhex(x))[0]
            if k == "s": return x
            if k == "b": return bytes.fromhex(x)
            if k == "d":
                u = int(x[0])
                return decimal.Decimal((1 if u < 0 else 0, tuple(int(c) for c in str(abs(u))), -x[1]))
            if k == "ts": return EPOCH + datetime.timedelta(microseconds=int(x))
            if k == "date": return datetime.date.fromisoformat(x)
            if k == "time":
                us = int(x); s, us = divmod(us, 1000000); m, s = divmod(s, 60); h, m = divmod(m, 60)
                return datetime.time(h, m, s, us)
            if k == "m": return {key: untag(val) for key, val in x.items()}
            raise ValueError(k)
        """;

    /// <summary>The tagged rendering of a model value of <paramref name="schema"/>.</summary>
    public static JsonNode? Tag(object? value, Schema schema)
    {
        if (schema is UnionSchema union)
        {
            var index = UnionBranchSelector.Select(union, value);
            return Tag(value, union.Branches[index]);
        }

        return (schema, value) switch
        {
            (_, null) => null,
            (_, bool b) => JsonValue.Create(b),
            ({ Type: SchemaType.Float }, _) => Bits(Convert.ToSingle(value, CultureInfo.InvariantCulture)),
            ({ Type: SchemaType.Double }, _) => Bits(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            (_, int or long) => Tagged("i", Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)),
            (_, string s) => Tagged("s", s),
            (_, byte[] bytes) => Tagged("b", Convert.ToHexStringLower(bytes)),
            (_, DecimalValue d) => new JsonObject { ["d"] = new JsonArray(d.Unscaled.ToString(CultureInfo.InvariantCulture), d.Scale) },
            ({ Type: SchemaType.String }, Guid g) => Tagged("s", g.ToString("D")),
            (_, Guid g) => Tagged("b", Convert.ToHexStringLower(g.ToByteArray(bigEndian: true))),
            (_, DateOnly d) => Tagged("date", d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (_, TimeOnly t) => Tagged("time", (t.Ticks / 10).ToString(CultureInfo.InvariantCulture)),
            ({ LogicalType.Name: LogicalType.TimestampMillisName or LogicalType.TimestampMicrosName }, DateTime dt) =>
                Tagged("ts", ((dt.Ticks - DateTime.UnixEpoch.Ticks) / 10).ToString(CultureInfo.InvariantCulture)),
            ({ LogicalType.Name: LogicalType.LocalTimestampMillisName }, DateTime dt) =>
                Tagged("i", ((dt.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture)),
            ({ LogicalType.Name: LogicalType.LocalTimestampMicrosName }, DateTime dt) =>
                Tagged("i", ((dt.Ticks - DateTime.UnixEpoch.Ticks) / 10).ToString(CultureInfo.InvariantCulture)),
            (FixedSchema, DurationValue d) => Tagged("b", Convert.ToHexStringLower(AvroDatumWriter.For(schema).ToArray(d))),
            (RecordSchema record, GenericRecord r) => new JsonObject
            {
                ["m"] = new JsonObject(record.Fields.Select(f => KeyValuePair.Create(f.Name, Tag(r[f.Position], f.Schema)))),
            },
            (MapSchema map, IReadOnlyDictionary<string, object?> entries) => new JsonObject
            {
                ["m"] = new JsonObject(entries.Select(e => KeyValuePair.Create(e.Key, Tag(e.Value, map.Values)))),
            },
            (ArraySchema array, IReadOnlyList<object?> items) => new JsonArray(items.Select(i => Tag(i, array.Items)).ToArray()),
            _ => throw new ArgumentException($"No tagged form for {ValueEquality.Format(value)} of {schema.DisplayName}."),
        };
    }

    private static JsonObject Tagged(string tag, string text) => new() { [tag] = text };

    private static JsonObject Bits(double value) =>
        Tagged("f", Convert.ToHexStringLower(BitConverter.GetBytes(value)));
}
