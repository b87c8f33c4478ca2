using System.Text.Json;
using System.Text.Json.Nodes;

namespace Streams.Registry.Formats;

/// <summary>
/// JSON Schema (draft 7 keywords) as a second schema type: documents are checked for well-formed keywords
/// (<see cref="JsonSchemaValidator"/>), identified by their JSON with object keys sorted, and compared with
/// the basic rules of <see cref="JsonSchemaCompatibility"/>. A reference's name is the <c>$ref</c> value the
/// schema uses for it, as in Confluent's registry.
/// </summary>
public sealed class JsonSchemaFormat : ISchemaFormat
{
    /// <summary>The type name: <c>JSON</c>.</summary>
    public const string TypeName = "JSON";

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 256 };

    /// <inheritdoc />
    public string SchemaType => TypeName;

    /// <inheritdoc />
    public ParsedSchema Parse(string schema, IReadOnlyList<KeyValuePair<string, ParsedSchema>> references)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(references);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(schema, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            throw SchemaRegistryException.InvalidSchema($"Invalid JSON schema: not JSON: {e.Message}");
        }

        var referenced = new Dictionary<string, JsonSchemaDocument>(StringComparer.Ordinal);
        foreach (var (name, parsed) in references)
        {
            if (parsed.Model is not JsonSchemaDocument document)
            {
                throw SchemaRegistryException.InvalidSchema(
                    $"Invalid schema reference '{name}': a JSON schema can only reference JSON schemas, not {parsed.Format.SchemaType}.");
            }

            referenced[name] = document;
        }

        var root = new JsonSchemaDocument(node, referenced);
        JsonSchemaValidator.Validate(root);
        var canonical = Canonical(node);
        return new ParsedSchema(this, canonical, canonical, root);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> CanRead(ParsedSchema reader, ParsedSchema writer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        return JsonSchemaCompatibility.CanRead((JsonSchemaDocument)reader.Model, (JsonSchemaDocument)writer.Model);
    }

    /// <summary>The JSON text with every object's keys in ordinal order and no whitespace.</summary>
    internal static string Canonical(JsonNode? node) => Sorted(node)?.ToJsonString() ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
