using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Streams.Registry.Formats;

/// <summary>
/// Checks that a JSON schema's keywords (draft 7) have the shapes the specification requires and that every
/// <c>$ref</c> resolves. Unknown keywords are allowed, as JSON Schema ignores them.
/// </summary>
internal static class JsonSchemaValidator
{
    private static readonly HashSet<string> TypeNames = ["null", "boolean", "object", "array", "number", "string", "integer"];

    private static readonly string[] SchemaKeywords =
        ["additionalProperties", "additionalItems", "contains", "propertyNames", "if", "then", "else", "not"];

    private static readonly string[] SchemaMapKeywords = ["properties", "patternProperties", "definitions", "$defs"];

    private static readonly string[] SchemaArrayKeywords = ["allOf", "anyOf", "oneOf"];

    private static readonly string[] NumberKeywords = ["maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"];

    private static readonly string[] CountKeywords =
        ["maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties"];

    private static readonly string[] StringKeywords = ["$id", "$schema", "$comment", "title", "description", "format"];

    /// <summary>Validates <paramref name="document"/>; fails with error 42201 naming the JSON pointer of the problem.</summary>
    public static void Validate(JsonSchemaDocument document) => ValidateSchema(document, document.Root, "#");

    private static void ValidateSchema(JsonSchemaDocument document, JsonNode? node, string path)
    {
        if (node is JsonValue value && value.TryGetValue<bool>(out _))
        {
            return;
        }

        if (node is not JsonObject schema)
        {
            throw Invalid(path, "a schema must be an object or a boolean");
        }

        foreach (var (keyword, child) in schema)
        {
            var at = path + "/" + keyword.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
            if (SchemaKeywords.Contains(keyword))
            {
                ValidateSchema(document, child, at);
            }
            else if (SchemaMapKeywords.Contains(keyword))
            {
                var map = child as JsonObject ?? throw Invalid(at, "must be an object of schemas");
                foreach (var (name, sub) in map)
                {
                    if (keyword == "patternProperties")
                    {
                        ValidatePattern(name, at);
                    }

                    ValidateSchema(document, sub, at + "/" + name);
                }
            }
            else if (SchemaArrayKeywords.Contains(keyword))
            {
                var array = child as JsonArray is { Count: > 0 } a ? a : throw Invalid(at, "must be a non-empty array of schemas");
                for (var i = 0; i < array.Count; i++)
                {
                    ValidateSchema(document, array[i], $"{at}/{i}");
                }
            }
            else if (NumberKeywords.Contains(keyword))
            {
                _ = Number(child) ?? throw Invalid(at, "must be a number");
            }
            else if (CountKeywords.Contains(keyword))
            {
                if (Number(child) is not { } count || count < 0 || count != Math.Floor(count))
                {
                    throw Invalid(at, "must be a non-negative integer");
                }
            }
            else if (StringKeywords.Contains(keyword))
            {
                _ = String(child) ?? throw Invalid(at, "must be a string");
            }
            else
            {
                ValidateOther(document, keyword, child, at);
            }
        }
    }

    private static void ValidateOther(JsonSchemaDocument document, string keyword, JsonNode? child, string at)
    {
        switch (keyword)
        {
            case "type":
                var names = child is JsonArray array ? array.Select(String).ToList() : [String(child)];
                if (names.Count == 0 || names.Any(n => n is null || !TypeNames.Contains(n)) || names.Distinct().Count() != names.Count)
                {
                    throw Invalid(at, $"must be one of {string.Join(", ", TypeNames)} or a non-empty array of distinct ones");
                }

                break;
            case "required":
                var required = (child as JsonArray ?? throw Invalid(at, "must be an array of strings")).Select(String).ToList();
                if (required.Any(r => r is null) || required.Distinct().Count() != required.Count)
                {
                    throw Invalid(at, "must be an array of distinct strings");
                }

                break;
            case "enum":
                if (child is not JsonArray { Count: > 0 })
                {
                    throw Invalid(at, "must be a non-empty array");
                }

                break;
            case "items":
                if (child is JsonArray tuple)
                {
                    for (var i = 0; i < tuple.Count; i++)
                    {
                        ValidateSchema(document, tuple[i], $"{at}/{i}");
                    }
                }
                else
                {
                    ValidateSchema(document, child, at);
                }

                break;
            case "dependencies":
                foreach (var (name, dependency) in child as JsonObject ?? throw Invalid(at, "must be an object"))
                {
                    if (dependency is JsonArray list)
                    {
                        if (list.Any(d => String(d) is null))
                        {
                            throw Invalid(at + "/" + name, "must be an array of strings or a schema");
                        }
                    }
                    else
                    {
                        ValidateSchema(document, dependency, at + "/" + name);
                    }
                }

                break;
            case "multipleOf":
                if (Number(child) is not > 0)
                {
                    throw Invalid(at, "must be a number greater than 0");
                }

                break;
            case "uniqueItems":
                if (child is not JsonValue flag || !flag.TryGetValue<bool>(out _))
                {
                    throw Invalid(at, "must be a boolean");
                }

                break;
            case "pattern":
                ValidatePattern(String(child) ?? throw Invalid(at, "must be a string"), at);
                break;
            case "$ref":
                var reference = String(child) ?? throw Invalid(at, "must be a string");
                if (document.Resolve(reference) is null)
                {
                    throw Invalid(at, $"'{reference}' does not resolve to a definition in the schema or to a schema reference");
                }

                break;
        }
    }

    private static void ValidatePattern(string pattern, string at)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.ECMAScript, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw Invalid(at, $"'{pattern}' is not a valid regular expression: {e.Message}");
        }
    }

    internal static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<double>() : null;

    internal static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static SchemaRegistryException Invalid(string path, string message) =>
        SchemaRegistryException.InvalidSchema($"Invalid JSON schema at {path}: {message}.");
}
