using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Streams.Formats.Model;

namespace Streams.Serving;

/// <summary>
/// Writes record-model values as plain JSON (not Avro's JSON encoding): records as objects, arrays,
/// maps as objects, bytes as base64, decimals as exact numbers, dates and timestamps as ISO 8601.
/// For values without a schema: query results (CLR values read from PostgreSQL) and key tuples. A value
/// with a schema (a record, a jsonb column) renders through <see cref="Formats.Json.RecordJson"/>.
/// </summary>
public static class ModelJson
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case short s:
                writer.WriteNumberValue(s);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float or double:
                writer.WriteStringValue(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case DecimalValue dv:
                writer.WriteRawValue(dv.ToString(), skipInputValidation: true);
                break;
            case string str:
                writer.WriteStringValue(str);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case Guid g:
                writer.WriteStringValue(g);
                break;
            case DateTime dt:
                writer.WriteStringValue(dt.ToString(dt.Kind == DateTimeKind.Utc ? "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                break;
            case DateOnly date:
                writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case TimeOnly time:
                writer.WriteStringValue(time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
                break;
            case TimeSpan span:
                writer.WriteStringValue(span.ToString("c", CultureInfo.InvariantCulture));
                break;
            case DurationValue duration:
                writer.WriteStartObject();
                writer.WriteNumber("months", duration.Months);
                writer.WriteNumber("days", duration.Days);
                writer.WriteNumber("milliseconds", duration.Milliseconds);
                writer.WriteEndObject();
                break;
            case GenericRecord record:
                writer.WriteStartObject();
                foreach (var field in record.Schema.Fields)
                {
                    writer.WritePropertyName(field.Name);
                    Write(writer, record[field.Position]);
                }

                writer.WriteEndObject();
                break;
            case IDictionary map:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    Write(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case IFormattable formattable:
                writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }

    /// <summary>The JSON text of <paramref name="value"/>.</summary>
    public static string Serialize(object? value)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
