using System.Text;
using System.Text.Json;
using Streams.Formats.Json;

namespace Streams.Pipelines.Execution;

/// <summary>
/// The one JSON form of a dead letter, for files and tables:
/// <c>{"transform", "reason", "position": {"source", "partition", "offset"} | null, "record"}</c>, the record in <see cref="RecordJson"/> (decimals as strings, lossless).
/// </summary>
public static class DeadLetterJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The dead letter as one line of JSON.</summary>
    public static string Format(DeadLetter dead)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("transform", dead.Transform);
            json.WriteString("reason", dead.Reason);
            json.WritePropertyName("position");
            if (dead.Position is { } position)
            {
                json.WriteStartObject();
                json.WriteString("source", position.Source);
                json.WriteNumber("partition", position.Partition);
                json.WriteNumber("offset", position.Offset);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNullValue();
            }

            json.WritePropertyName("record");
            WriteRecord(json, dead);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The record alone as JSON (the <c>record</c> column of the dead-letter table).</summary>
    public static string Record(DeadLetter dead)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            WriteRecord(json, dead);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The record, or JSON null for data that could not be read as one (an unreadable file or row).</summary>
    private static void WriteRecord(Utf8JsonWriter json, DeadLetter dead)
    {
        if (dead.Record is { } record)
        {
            RecordJson.Write(json, record);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
