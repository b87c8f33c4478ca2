using System.Text.Json;
using System.Text.Json.Nodes;

namespace Streams.Formats.Avro.Json;

/// <summary>
/// Reads JSON numbers from a <see cref="JsonNode"/> whether it was parsed (backed by a <see cref="JsonElement"/>)
/// or built in code (backed by a CLR number such as a <c>long</c>), so that a schema or default built with
/// <c>JsonValue.Create(10L)</c> means the same as the text <c>10</c>.
/// </summary>
internal static class JsonNumber
{
    public static bool TryGetElement(JsonNode? node, out JsonElement element)
    {
        element = default;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (value.TryGetValue(out element))
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(value.ToJsonString());
            element = document.RootElement.Clone();
            return true;
        }
        catch (ArgumentException)
        {
            // A CLR NaN or infinity has no JSON number text.
            return false;
        }
    }

    public static bool TryGetInt32(JsonNode? node, out int result)
    {
        result = 0;
        return TryGetElement(node, out var e) && e.TryGetInt32(out result);
    }

    public static bool TryGetInt64(JsonNode? node, out long result)
    {
        result = 0;
        return TryGetElement(node, out var e) && e.TryGetInt64(out result);
    }
}
