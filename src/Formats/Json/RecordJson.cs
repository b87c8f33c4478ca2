using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Streams.Formats.Model;

namespace Streams.Formats.Json;

/// <summary>
/// The one plain-JSON rendering of model values that have a schema, for every place a record becomes
/// JSON: <c>.jsonl</c> files, dead letters, jsonb columns. Decimals are strings (<c>"10.50"</c>): as JSON
/// numbers most readers (JavaScript, jq, double-based parsers) would round them, so the string form is
/// the lossless one; the other rules are <see cref="JsonValueRenderer"/>'s. The renderer is compiled once
/// per schema and cached.
/// </summary>
public static class RecordJson
{
    private static readonly ConditionalWeakTable<Schema, JsonValueRenderer.Render> Renderers = new();

    /// <summary>Writes <paramref name="value"/> of <paramref name="schema"/> to <paramref name="writer"/>.</summary>
    /// <exception cref="Avro.AvroValueException">The value does not match the schema.</exception>
    public static void Write(Utf8JsonWriter writer, Schema schema, object? value) =>
        Renderers.GetValue(schema, JsonValueRenderer.Compile)(writer, value);

    /// <summary>Writes a record with its own schema.</summary>
    public static void Write(Utf8JsonWriter writer, GenericRecord record) => Write(writer, record.Schema, record);

    /// <summary>The JSON text of <paramref name="value"/> of <paramref name="schema"/>.</summary>
    public static string Serialize(Schema schema, object? value)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, schema, value);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
