using System.Text.Json;
using Streams.Formats.Model;

namespace Streams.Catalog.Schemas;

/// <summary>
/// Infers a schema from JSON values: numbers that are integers become <c>int</c> or <c>long</c> by
/// magnitude, other numbers <c>double</c>, objects records (named by their path), arrays arrays of the
/// merged item schema. Values of one field across records merge with <see cref="SchemaMerger"/>.
/// </summary>
public static class JsonSchemaInference
{
    /// <summary>The schema of one JSON value; <paramref name="name"/> names a record at this position.</summary>
    public static Schema Infer(JsonElement value, string name)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return PrimitiveSchema.Null;
            case JsonValueKind.True or JsonValueKind.False:
                return PrimitiveSchema.Boolean;
            case JsonValueKind.Number:
                if (value.TryGetInt32(out _))
                {
                    return PrimitiveSchema.Int;
                }

                return value.TryGetInt64(out _) ? PrimitiveSchema.Long : PrimitiveSchema.Double;
            case JsonValueKind.String:
                return PrimitiveSchema.String;
            case JsonValueKind.Array:
            {
                Schema? items = null;
                foreach (var item in value.EnumerateArray())
                {
                    items = SchemaMerger.Merge(items, Infer(item, name + "_item"));
                }

                return new ArraySchema(items ?? PrimitiveSchema.Null);
            }

            default:
            {
                var fields = new List<Field>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    if (property.Name.Length > 0 && seen.Add(property.Name))
                    {
                        fields.Add(new Field(property.Name, Infer(property.Value, $"{name}_{Sanitize(property.Name)}")));
                    }
                }

                return new RecordSchema(new SchemaName(Sanitize(name), null), fields);
            }
        }
    }

    /// <summary>Makes an Avro-valid name from arbitrary text (letters, digits, underscores; not starting with a digit).</summary>
    public static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        var result = new string(chars);
        return result.Length == 0 || char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }
}
