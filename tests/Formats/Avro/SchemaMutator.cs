using System.Text.Json.Nodes;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

/// <summary>
/// Evolves a schema the way producers do, at random (seeded), for compatibility property tests: removes or adds
/// fields (with or without defaults), changes primitive types, adds or removes enum symbols and defaults,
/// resizes fixed types, makes fields nullable or not, and renames the root record (with or without an alias).
/// The result may be incompatible with the input; it is always a valid schema or <c>null</c>.
/// </summary>
public sealed class SchemaMutator(int seed)
{
    private static readonly string[] Primitives = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"];

    private readonly Random _random = new(seed);
    private int _counter;

    /// <summary>
    /// A mutated copy of <paramref name="schema"/> after <paramref name="mutations"/> random changes, or
    /// <c>null</c> when the changes happened to make the schema invalid (a default no longer fitting, say).
    /// </summary>
    public Schema? Mutate(Schema schema, int mutations = 1)
    {
        var root = AvroSchemaWriter.ToJsonNode(schema);
        for (var i = 0; i < mutations; i++)
        {
            var sites = new List<Action>();
            Collect(root, node => root = node, isRoot: true, sites);
            if (sites.Count > 0)
            {
                sites[_random.Next(sites.Count)]();
            }
        }

        try
        {
            return AvroSchemaParser.Parse(root);
        }
        catch (SchemaException)
        {
            return null;
        }
    }

    // Gathers every possible change as a closure; replace swaps the node in its parent.
    private void Collect(JsonNode? node, Action<JsonNode> replace, bool isRoot, List<Action> sites)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var name) && Primitives.Contains(name):
                sites.Add(() => replace(JsonValue.Create(OtherPrimitive(name))));
                break;
            case JsonArray union:
                for (var i = 0; i < union.Count; i++)
                {
                    var index = i;
                    Collect(union[i], n => union[index] = n, false, sites);
                }

                break;
            case JsonObject obj:
                CollectObject(obj, replace, isRoot, sites);
                break;
        }
    }

    private void CollectObject(JsonObject obj, Action<JsonNode> replace, bool isRoot, List<Action> sites)
    {
        switch (obj["type"]?.GetValue<string>())
        {
            case "record" or "error":
                var fields = obj["fields"]!.AsArray();
                if (fields.Count > 0)
                {
                    sites.Add(() => fields.RemoveAt(_random.Next(fields.Count)));
                }

                sites.Add(() => fields.Add(NewField(withDefault: true)));
                sites.Add(() => fields.Add(NewField(withDefault: false)));
                if (isRoot)
                {
                    sites.Add(() => Rename(obj, keepAlias: true));
                    sites.Add(() => Rename(obj, keepAlias: false));
                }

                foreach (var field in fields.Select(f => f!.AsObject()))
                {
                    CollectField(field, sites);
                }

                break;
            case "enum":
                var symbols = obj["symbols"]!.AsArray();
                sites.Add(() => symbols.Add($"ADDED{++_counter}"));
                if (symbols.Count > 1)
                {
                    sites.Add(() =>
                    {
                        var candidates = symbols.Where(s => s!.GetValue<string>() != obj["default"]?.GetValue<string>()).ToList();
                        symbols.Remove(candidates[_random.Next(candidates.Count)]);
                    });
                }

                sites.Add(() =>
                {
                    if (obj.ContainsKey("default"))
                    {
                        obj.Remove("default");
                    }
                    else
                    {
                        obj["default"] = symbols[_random.Next(symbols.Count)]!.GetValue<string>();
                    }
                });
                break;
            case "fixed":
                sites.Add(() => obj["size"] = obj["size"]!.GetValue<int>() + 1);
                break;
            case "array":
                Collect(obj["items"], n => obj["items"] = n, false, sites);
                break;
            case "map":
                Collect(obj["values"], n => obj["values"] = n, false, sites);
                break;
            case { } primitive when Primitives.Contains(primitive):
                sites.Add(() => replace(JsonValue.Create(OtherPrimitive(primitive))));
                break;
        }
    }

    private void CollectField(JsonObject field, List<Action> sites)
    {
        var type = field["type"];
        // A changed type usually invalidates the default, so changes at the field's top level drop it.
        Collect(type, n =>
        {
            field["type"] = n;
            field.Remove("default");
        }, false, sites);
        if (type is JsonArray union)
        {
            var nonNull = union.FirstOrDefault(b => b is not JsonValue v || v.GetValue<string>() != "null");
            if (nonNull is not null)
            {
                sites.Add(() =>
                {
                    field["type"] = nonNull.DeepClone();
                    field.Remove("default");
                });
            }
        }
        else
        {
            sites.Add(() =>
            {
                field["type"] = new JsonArray("null", field["type"]!.DeepClone());
                field["default"] = null;
            });
        }
    }

    private void Rename(JsonObject record, bool keepAlias)
    {
        var oldName = record["name"]!.GetValue<string>();
        var ns = record["namespace"]?.GetValue<string>();
        record["name"] = $"{oldName}Renamed{++_counter}";
        if (keepAlias)
        {
            // A full name: python3-avro compares aliases as written, the specification after qualifying them.
            record["aliases"] = new JsonArray(string.IsNullOrEmpty(ns) || oldName.Contains('.') ? oldName : $"{ns}.{oldName}");
        }
    }

    private JsonObject NewField(bool withDefault)
    {
        var field = new JsonObject { ["name"] = $"added{++_counter}" };
        switch (_random.Next(3))
        {
            case 0:
                field["type"] = "string";
                if (withDefault)
                {
                    field["default"] = "none";
                }

                break;
            case 1:
                field["type"] = new JsonArray("null", "long");
                if (withDefault)
                {
                    field["default"] = null;
                }

                break;
            default:
                field["type"] = new JsonObject { ["type"] = "array", ["items"] = "int" };
                if (withDefault)
                {
                    field["default"] = new JsonArray(1, 2);
                }

                break;
        }

        return field;
    }

    private string OtherPrimitive(string current)
    {
        string next;
        do
        {
            next = Primitives[_random.Next(Primitives.Length)];
        }
        while (next == current);
        return next;
    }
}
