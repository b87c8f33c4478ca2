using System.Text.Json.Nodes;

namespace Streams.Registry.Formats;

/// <summary>
/// Whether every document valid under a writer's JSON schema is valid under a reader's: a conservative,
/// structural check of types (integer widens to number), enums, bounds, required and declared properties,
/// open and closed content models, array items, <c>$ref</c>s and the <c>allOf</c>/<c>anyOf</c>/<c>oneOf</c>
/// combinators. Keywords it cannot reason about (<c>not</c>, <c>if</c>, <c>patternProperties</c>...) must be
/// equal on both sides. A property the reader declares but an open writer does not may hold anything, so the
/// reader's schema for it must accept anything (Confluent calls this adding a property to an open content model).
/// </summary>
internal static class JsonSchemaCompatibility
{
    private const int MaxDepth = 64;

    private static readonly string[] Combinators = ["anyOf", "oneOf", "allOf"];

    private static readonly string[] OpaqueKeywords =
        ["not", "if", "then", "else", "patternProperties", "dependencies", "propertyNames", "contains", "const", "pattern", "multipleOf", "format", "uniqueItems"];

    // Upper bounds: the reader's must be at least the writer's. Lower bounds: at most.
    private static readonly string[] UpperBounds = ["maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum"];
    private static readonly string[] LowerBounds = ["minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum"];

    private static readonly JsonObject Anything = [];

    public static IReadOnlyList<string> CanRead(JsonSchemaDocument reader, JsonSchemaDocument writer)
    {
        var reasons = new List<string>();
        new Comparison(reasons).Compare(reader.Root, reader, writer.Root, writer, "#", 0);
        return reasons;
    }

    private sealed class Comparison(List<string> reasons)
    {
        private readonly HashSet<(JsonNode?, JsonNode?)> _following = new(ReferencePairComparer.Instance);

        public void Compare(JsonNode? reader, JsonSchemaDocument readerDoc, JsonNode? writer, JsonSchemaDocument writerDoc,
            string path, int depth)
        {
            if (depth > MaxDepth)
            {
                reasons.Add($"{path}: the schemas nest too deeply to be compared");
                return;
            }

            if (Ref(reader) is not null || Ref(writer) is not null)
            {
                var r = Follow(reader, readerDoc);
                var w = Follow(writer, writerDoc);
                if (!_following.Add((r.Node, w.Node)))
                {
                    return; // Recursive schemas: this pair is being compared further up.
                }

                Compare(r.Node, r.Document, w.Node, w.Document, path, depth + 1);
                _following.Remove((r.Node, w.Node));
                return;
            }

            var readerObj = AsObject(reader);
            var writerObj = AsObject(writer);
            if (writerObj is null)
            {
                return; // A false writer schema validates no document.
            }

            if (readerObj is null)
            {
                reasons.Add($"{path}: the reader's schema is false and accepts nothing the writer writes");
                return;
            }

            // Writer alternatives: data matches one of anyOf/oneOf (each must be readable) or all of allOf (one suffices).
            foreach (var combinator in Combinators)
            {
                if (writerObj[combinator] is JsonArray branches)
                {
                    var rest = Without(writerObj, combinator);
                    if (combinator == "allOf")
                    {
                        var found = branches.Select(b => Trial(readerObj, readerDoc, Merge(rest, b), writerDoc, path, depth)).ToList();
                        if (found.All(f => f.Count > 0))
                        {
                            reasons.AddRange(found[0]);
                        }
                    }
                    else
                    {
                        foreach (var branch in branches)
                        {
                            Compare(readerObj, readerDoc, Merge(rest, branch), writerDoc, path, depth + 1);
                        }
                    }

                    return;
                }
            }

            // Reader alternatives: the writer's data must satisfy one of anyOf/oneOf, or every one of allOf.
            foreach (var combinator in Combinators)
            {
                if (readerObj[combinator] is JsonArray branches)
                {
                    var rest = Without(readerObj, combinator);
                    if (combinator == "allOf")
                    {
                        foreach (var branch in branches)
                        {
                            Compare(Merge(rest, branch), readerDoc, writerObj, writerDoc, path, depth + 1);
                        }
                    }
                    else
                    {
                        var found = branches.Select(b => Trial(Merge(rest, b), readerDoc, writerObj, writerDoc, path, depth)).ToList();
                        if (found.All(f => f.Count > 0))
                        {
                            reasons.Add($"{path}: no branch of the reader's {combinator} accepts the writer's schema " +
                                        $"(first branch: {string.Join("; ", found[0])})");
                        }
                    }

                    return;
                }
            }

            CompareStructure(readerObj, readerDoc, writerObj, writerDoc, path, depth);
        }

        private List<string> Trial(JsonNode reader, JsonSchemaDocument readerDoc, JsonNode writer, JsonSchemaDocument writerDoc,
            string path, int depth)
        {
            var found = new List<string>();
            new Comparison(found).Compare(reader, readerDoc, writer, writerDoc, path, depth + 1);
            return found;
        }

        private void CompareStructure(JsonObject reader, JsonSchemaDocument readerDoc, JsonObject writer, JsonSchemaDocument writerDoc,
            string path, int depth)
        {
            CompareTypes(reader, writer, path);

            if (reader["enum"] is JsonArray readerEnum)
            {
                if (writer["enum"] is not JsonArray writerEnum)
                {
                    reasons.Add($"{path}: the reader allows only the values of its enum, the writer any");
                }
                else
                {
                    foreach (var value in writerEnum.Where(w => !readerEnum.Any(r => JsonNode.DeepEquals(r, w))))
                    {
                        reasons.Add($"{path}: the writer's enum value {value?.ToJsonString() ?? "null"} is not in the reader's enum");
                    }
                }
            }

            foreach (var keyword in UpperBounds)
            {
                if (JsonSchemaValidator.Number(reader[keyword]) is { } limit
                    && (JsonSchemaValidator.Number(writer[keyword]) is not { } written || written > limit))
                {
                    reasons.Add($"{path}: the reader's {keyword} {limit} is below the writer's {writer[keyword]?.ToJsonString() ?? "(none)"}");
                }
            }

            foreach (var keyword in LowerBounds)
            {
                if (JsonSchemaValidator.Number(reader[keyword]) is { } limit
                    && (JsonSchemaValidator.Number(writer[keyword]) is not { } written || written < limit))
                {
                    reasons.Add($"{path}: the reader's {keyword} {limit} is above the writer's {writer[keyword]?.ToJsonString() ?? "(none)"}");
                }
            }

            foreach (var keyword in OpaqueKeywords)
            {
                if (reader.ContainsKey(keyword) && !JsonNode.DeepEquals(reader[keyword], writer[keyword]))
                {
                    reasons.Add($"{path}: the reader's '{keyword}' differs from the writer's");
                }
            }

            CompareObjects(reader, readerDoc, writer, writerDoc, path, depth);
            CompareArrays(reader, readerDoc, writer, writerDoc, path, depth);
        }

        private void CompareTypes(JsonObject reader, JsonObject writer, string path)
        {
            if (Types(reader) is not { } readerTypes)
            {
                return;
            }

            if (Types(writer) is not { } writerTypes)
            {
                reasons.Add($"{path}: the reader allows only {string.Join(", ", readerTypes)}, the writer any type");
                return;
            }

            foreach (var type in writerTypes.Where(t => !readerTypes.Contains(t) && !(t == "integer" && readerTypes.Contains("number"))))
            {
                reasons.Add($"{path}: the writer's type {type} is not one of the reader's ({string.Join(", ", readerTypes)})");
            }
        }

        private void CompareObjects(JsonObject reader, JsonSchemaDocument readerDoc, JsonObject writer, JsonSchemaDocument writerDoc,
            string path, int depth)
        {
            var readerProperties = reader["properties"] as JsonObject ?? [];
            var writerProperties = writer["properties"] as JsonObject ?? [];
            var writerRequired = Strings(writer["required"]);
            foreach (var name in Strings(reader["required"]).Where(r => !writerRequired.Contains(r)))
            {
                reasons.Add($"{path}: the reader requires property '{name}', which the writer does not");
            }

            var readerAdditional = reader["additionalProperties"];
            var writerAdditional = writer["additionalProperties"];
            foreach (var (name, writerProperty) in writerProperties)
            {
                var at = $"{path}/properties/{name}";
                if (readerProperties.TryGetPropertyValue(name, out var readerProperty))
                {
                    Compare(readerProperty, readerDoc, writerProperty, writerDoc, at, depth + 1);
                }
                else if (IsFalse(readerAdditional))
                {
                    reasons.Add($"{at}: the writer's property '{name}' is not allowed by the reader (additionalProperties false)");
                }
                else if (readerAdditional is JsonObject)
                {
                    Compare(readerAdditional, readerDoc, writerProperty, writerDoc, at, depth + 1);
                }
            }

            if (IsFalse(writerAdditional))
            {
                return; // A closed writer writes only the properties it declares.
            }

            var openWriter = writerAdditional is JsonObject ? writerAdditional : Anything;
            foreach (var (name, readerProperty) in readerProperties.Where(p => !writerProperties.ContainsKey(p.Key)))
            {
                Compare(readerProperty, readerDoc, openWriter, writerDoc, $"{path}/properties/{name}", depth + 1);
            }

            if (IsFalse(readerAdditional))
            {
                reasons.Add($"{path}: the reader closes the content model (additionalProperties false) that the writer leaves open");
            }
            else if (readerAdditional is JsonObject)
            {
                Compare(readerAdditional, readerDoc, openWriter, writerDoc, path + "/additionalProperties", depth + 1);
            }
        }

        private void CompareArrays(JsonObject reader, JsonSchemaDocument readerDoc, JsonObject writer, JsonSchemaDocument writerDoc,
            string path, int depth)
        {
            var readerItems = reader["items"];
            if (readerItems is null)
            {
                return;
            }

            var writerItems = writer["items"] ?? Anything;
            if (readerItems is JsonArray || writerItems is JsonArray)
            {
                if (!JsonNode.DeepEquals(readerItems, writerItems))
                {
                    reasons.Add($"{path}/items: tuple item lists differ between reader and writer");
                }

                return;
            }

            Compare(readerItems, readerDoc, writerItems, writerDoc, path + "/items", depth + 1);
        }

        private static (JsonNode? Node, JsonSchemaDocument Document) Follow(JsonNode? node, JsonSchemaDocument document)
        {
            for (var hops = 0; hops < MaxDepth && Ref(node) is { } reference; hops++)
            {
                var target = document.Resolve(reference) ?? throw SchemaRegistryException.InvalidSchema($"Unresolved $ref '{reference}'.");
                (node, document) = target;
            }

            return (node, document);
        }
    }

    private static string? Ref(JsonNode? node) => node is JsonObject obj ? JsonSchemaValidator.String(obj["$ref"]) : null;

    /// <summary>The schema as an object (<c>true</c> is the empty schema), or <c>null</c> for <c>false</c>.</summary>
    private static JsonObject? AsObject(JsonNode? node) =>
        node switch
        {
            JsonObject obj => obj,
            JsonValue value when value.TryGetValue<bool>(out var flag) => flag ? Anything : null,
            _ => Anything,
        };

    private static bool IsFalse(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) && !flag;

    private static HashSet<string>? Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray array => array.Select(JsonSchemaValidator.String).OfType<string>().ToHashSet(StringComparer.Ordinal),
        JsonValue value when JsonSchemaValidator.String(value) is { } one => [one],
        _ => null,
    };

    private static HashSet<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(JsonSchemaValidator.String).OfType<string>().ToHashSet(StringComparer.Ordinal) : [];

    private static JsonObject Without(JsonObject schema, string keyword) =>
        new(schema.Where(p => p.Key != keyword).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

    /// <summary>A branch of a combinator with the keywords next to the combinator, which apply to it too.</summary>
    private static JsonNode Merge(JsonObject rest, JsonNode? branch)
    {
        if (rest.Count == 0 || branch is null)
        {
            return branch ?? Anything;
        }

        if (AsObject(branch) is not { } obj)
        {
            return JsonValue.Create(false);
        }

        if (Ref(branch) is not null)
        {
            // A $ref is resolved against its own document: keep it whole next to the other keywords.
            return new JsonObject { ["allOf"] = new JsonArray(rest.DeepClone(), branch.DeepClone()) };
        }

        var merged = (JsonObject)rest.DeepClone();
        foreach (var (key, value) in obj)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    private sealed class ReferencePairComparer : IEqualityComparer<(JsonNode?, JsonNode?)>
    {
        public static readonly ReferencePairComparer Instance = new();

        public bool Equals((JsonNode?, JsonNode?) x, (JsonNode?, JsonNode?) y) =>
            ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((JsonNode?, JsonNode?) pair) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(pair.Item1!),
                System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(pair.Item2!));
    }
}
