using System.Text;
using System.Text.Json;
using Streams.Serving;

namespace Streams.Pipelines.Execution;

/// <summary>
/// The one JSON form of a dead letter, for files and tables:
/// <c>{"transform", "reason", "position": {"source", "partition", "offset"} | null, "record"}</c>, the record in <see cref="ModelJson"/>.
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
            ModelJson.Write(json, dead.Record);
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
            ModelJson.Write(json, dead.Record);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
