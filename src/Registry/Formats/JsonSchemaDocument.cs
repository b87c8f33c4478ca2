using System.Text.Json.Nodes;

namespace Streams.Registry.Formats;

/// <summary>A parsed JSON schema: its root and the referenced documents, by the <c>$ref</c> name that reaches them.</summary>
public sealed class JsonSchemaDocument(JsonNode? root, IReadOnlyDictionary<string, JsonSchemaDocument> references)
{
    /// <summary>The schema document.</summary>
    public JsonNode? Root { get; } = root;

    /// <summary>Referenced documents by name.</summary>
    public IReadOnlyDictionary<string, JsonSchemaDocument> References { get; } = references;

    /// <summary>
    /// Follows <c>$ref</c>: a referenced document by name (optionally with a <c>#/...</c> pointer into it), or a
    /// JSON pointer into this document. Returns the target and the document it lives in, or <c>null</c>.
    /// </summary>
    public (JsonNode? Node, JsonSchemaDocument Document)? Resolve(string reference)
    {
        var hash = reference.IndexOf('#', StringComparison.Ordinal);
        var name = hash < 0 ? reference : reference[..hash];
        var pointer = hash < 0 ? "" : reference[(hash + 1)..];
        var document = this;
        if (name.Length > 0)
        {
            if (!References.TryGetValue(name, out var other))
            {
                return null;
            }

            document = other;
        }

        var node = document.Root;
        foreach (var token in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var key = Uri.UnescapeDataString(token).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject obj when obj.TryGetPropertyValue(key, out var child) => child,
                JsonArray array when int.TryParse(key, out var index) && index >= 0 && index < array.Count => array[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return (node, document);
    }
}
