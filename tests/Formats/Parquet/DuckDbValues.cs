using System.Globalization;
using System.Text.Json.Nodes;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Parquet;

/// <summary>Converts DuckDB's JSON rendering of a value (getRowObjectsJson) to the record model value of a schema.</summary>
public static class DuckDbValues
{
    public static GenericRecord ToRecord(JsonObject row, RecordSchema schema) =>
        new(schema, schema.Fields.Select(f => ToModel(row[f.Name], f.Schema)).ToArray());

    public static object? ToModel(JsonNode? node, Schema schema)
    {
        if (node is null)
        {
            return null;
        }

        var logical = schema.LogicalType?.Name;
        switch (schema)
        {
            case UnionSchema union when union.NonNullBranch is { } inner:
                return ToModel(node, inner);
            case UnionSchema union:
            {
                var branches = union.Branches.Where(b => !b.IsNull).ToList();
                for (var i = 0; i < branches.Count; i++)
                {
                    if (node[$"member{i}"] is { } member)
                    {
                        return ToModel(member, branches[i]);
                    }
                }

                return null;
            }
            case RecordSchema record:
                return ToRecord(node.AsObject(), record);
            case ArraySchema array:
                return node.AsArray().Select(item => ToModel(item, array.Items)).ToList();
            case MapSchema map:
                return node.AsArray().ToDictionary(e => e!["key"]!.GetValue<string>(), e => ToModel(e!["value"], map.Values));
        }

        if (logical == LogicalType.DecimalName)
        {
            return DecimalValue.Parse(Text(node)).Rescale(schema.LogicalType!.Scale);
        }

        if (logical == LogicalType.UuidName)
        {
            return Guid.Parse(Text(node));
        }

        if (logical == LogicalType.DurationName)
        {
            return new DurationValue(node["months"]!.GetValue<uint>(), node["days"]!.GetValue<uint>(),
                (uint)(long.Parse(Text(node["micros"]!), CultureInfo.InvariantCulture) / 1000));
        }

        return schema.Type switch
        {
            SchemaType.Boolean => node.GetValue<bool>(),
            SchemaType.Int => logical switch
            {
                LogicalType.DateName => DateOnly.ParseExact(Text(node), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                LogicalType.TimeMillisName => TimeOnly.FromTimeSpan(TimeSpan.FromTicks(ParseTimeNanos(Text(node)) / 100)),
                _ => int.Parse(Text(node), CultureInfo.InvariantCulture),
            },
            SchemaType.Long => logical switch
            {
                LogicalType.TimeMicrosName => TimeOnly.FromTimeSpan(TimeSpan.FromTicks(ParseTimeNanos(Text(node)) / 100)),
                LogicalType.TimestampMillisName or LogicalType.TimestampMicrosName =>
                    DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(ParseTimestampNanos(Text(node)) / 100), DateTimeKind.Utc),
                LogicalType.LocalTimestampMillisName or LogicalType.LocalTimestampMicrosName =>
                    DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(ParseTimestampNanos(Text(node)) / 100), DateTimeKind.Unspecified),
                LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName => ParseTimestampNanos(Text(node)),
                _ => long.Parse(Text(node), CultureInfo.InvariantCulture),
            },
            SchemaType.Float => (float)ParseDouble(node),
            SchemaType.Double => ParseDouble(node),
            SchemaType.String or SchemaType.Enum => node.GetValue<string>(),
            SchemaType.Bytes or SchemaType.Fixed => ParseBlob(node.GetValue<string>()),
            _ => throw new NotSupportedException(schema.DisplayName),
        };
    }

    private static string Text(JsonNode node) => node.GetValueKind() == System.Text.Json.JsonValueKind.String
        ? node.GetValue<string>()
        : node.ToJsonString();

    private static double ParseDouble(JsonNode node) => Text(node) switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        var s => double.Parse(s, CultureInfo.InvariantCulture),
    };

    /// <summary>DuckDB renders blobs with printable ASCII as is and other bytes as \xHH.</summary>
    public static byte[] ParseBlob(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x')
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 2, 2), 16));
                i += 3;
            }
            else
            {
                bytes.Add((byte)text[i]);
            }
        }

        return bytes.ToArray();
    }

    /// <summary>Parses <c>HH:mm:ss[.fffffffff]</c> into nanoseconds since midnight.</summary>
    private static long ParseTimeNanos(string text)
    {
        var parts = text.Split('.');
        var hms = parts[0].Split(':').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var fraction = parts.Length > 1 ? long.Parse(parts[1].PadRight(9, '0'), CultureInfo.InvariantCulture) : 0;
        return ((hms[0] * 60 + hms[1]) * 60 + hms[2]) * 1_000_000_000L + fraction;
    }

    /// <summary>Parses <c>yyyy-MM-dd HH:mm:ss[.fffffffff][+00]</c> into nanoseconds since the epoch.</summary>
    private static long ParseTimestampNanos(string text)
    {
        if (text.EndsWith("+00", StringComparison.Ordinal))
        {
            text = text[..^3];
        }

        var space = text.IndexOf(' ');
        var date = DateOnly.ParseExact(text[..space], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var days = date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        return days * 86_400_000_000_000L + ParseTimeNanos(text[(space + 1)..]);
    }
}
