using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Streams.Formats.Avro.Logical;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Schemas;

/// <summary>
/// Writes a schema as Avro JSON in full: docs, aliases, defaults, sort orders, logical types and custom
/// properties included, so that <see cref="AvroSchemaParser"/> reads back the same schema.
/// </summary>
/// <remarks>
/// A named type is defined at its first occurrence (depth first, in field order) and referenced by name
/// afterwards, with the shortest name that resolves back to it: the simple name inside its own namespace,
/// the full name elsewhere. A definition states its <c>namespace</c> only when it differs from the
/// enclosing one (<c>""</c> for the null namespace inside a namespaced type). Aliases are written as full
/// names. Primitives without
/// annotations are written as bare names. For the normalised form use <see cref="CanonicalForm"/>.
/// </remarks>
public static class AvroSchemaWriter
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Indented = Compact with { Indented = true };

    /// <summary>The schema as JSON text.</summary>
    public static string ToJson(Schema schema, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(schema);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, indented ? Indented : Compact))
        {
            Write(writer, schema);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>The schema as a JSON document.</summary>
    public static JsonNode ToJsonNode(Schema schema) => JsonNode.Parse(ToJson(schema))!;

    /// <summary>Writes the schema to <paramref name="writer"/> as one JSON value.</summary>
    public static void Write(Utf8JsonWriter writer, Schema schema)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(schema);
        new State(writer).Write(schema, null);
    }

    private sealed class State(Utf8JsonWriter writer)
    {
        private readonly Dictionary<string, NamedSchema> _defined = new(StringComparer.Ordinal);

        public void Write(Schema schema, string? ns)
        {
            switch (schema)
            {
                case NamedSchema named when CanonicalForm.IsRepeat(named, _defined):
                    writer.WriteStringValue(Reference(named.Name, ns));
                    break;
                case NamedSchema named:
                    WriteNamed(named, ns);
                    break;
                case ArraySchema array:
                    writer.WriteStartObject();
                    writer.WriteString("type", "array");
                    writer.WritePropertyName("items");
                    Write(array.Items, ns);
                    WriteProperties(array.Properties);
                    writer.WriteEndObject();
                    break;
                case MapSchema map:
                    writer.WriteStartObject();
                    writer.WriteString("type", "map");
                    writer.WritePropertyName("values");
                    Write(map.Values, ns);
                    WriteProperties(map.Properties);
                    writer.WriteEndObject();
                    break;
                case UnionSchema union:
                    writer.WriteStartArray();
                    foreach (var branch in union.Branches)
                    {
                        Write(branch, ns);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    var typeName = Schema.TypeName(schema.Type);
                    if (schema.LogicalType is null && schema.Properties.Count == 0)
                    {
                        writer.WriteStringValue(typeName);
                        break;
                    }

                    writer.WriteStartObject();
                    writer.WriteString("type", typeName);
                    WriteLogicalType(schema);
                    WriteProperties(schema.Properties);
                    writer.WriteEndObject();
                    break;
            }
        }

        private void WriteNamed(NamedSchema named, string? ns)
        {
            var own = named.Name.Namespace;
            writer.WriteStartObject();
            writer.WriteString("type", named switch
            {
                RecordSchema { IsError: true } => "error",
                _ => Schema.TypeName(named.Type),
            });
            writer.WriteString("name", named.Name.Name);
            if (!string.Equals(own ?? "", ns ?? "", StringComparison.Ordinal))
            {
                writer.WriteString("namespace", own ?? "");
            }

            if (named.Doc is not null)
            {
                writer.WriteString("doc", named.Doc);
            }

            if (named.Aliases.Count > 0)
            {
                writer.WriteStartArray("aliases");
                foreach (var alias in named.Aliases)
                {
                    // Full names: python3-avro compares aliases as written, without qualifying them.
                    writer.WriteStringValue(alias.FullName);
                }

                writer.WriteEndArray();
            }

            switch (named)
            {
                case RecordSchema record:
                    writer.WriteStartArray("fields");
                    foreach (var field in record.Fields)
                    {
                        WriteField(field, own);
                    }

                    writer.WriteEndArray();
                    break;
                case EnumSchema e:
                    writer.WriteStartArray("symbols");
                    foreach (var symbol in e.Symbols)
                    {
                        writer.WriteStringValue(symbol);
                    }

                    writer.WriteEndArray();
                    if (e.Default is not null)
                    {
                        writer.WriteString("default", e.Default);
                    }

                    break;
                case FixedSchema f:
                    writer.WriteNumber("size", f.Size);
                    WriteLogicalType(f);
                    break;
            }

            WriteProperties(named.Properties);
            writer.WriteEndObject();
        }

        private void WriteField(Field field, string? ns)
        {
            writer.WriteStartObject();
            writer.WriteString("name", field.Name);
            writer.WritePropertyName("type");
            Write(field.Schema, ns);
            if (field.Doc is not null)
            {
                writer.WriteString("doc", field.Doc);
            }

            if (field.HasDefault)
            {
                writer.WritePropertyName("default");
                WriteNode(field.Default);
            }

            if (field.Order != SortOrder.Ascending)
            {
                writer.WriteString("order", field.Order == SortOrder.Descending ? "descending" : "ignore");
            }

            if (field.Aliases.Count > 0)
            {
                writer.WriteStartArray("aliases");
                foreach (var alias in field.Aliases)
                {
                    writer.WriteStringValue(alias);
                }

                writer.WriteEndArray();
            }

            WriteProperties(field.Properties);
            writer.WriteEndObject();
        }

        private void WriteLogicalType(Schema schema)
        {
            if (schema.LogicalType is not { } logicalType)
            {
                return;
            }

            // A schema built in code may carry a logical type its type cannot have; written out, a reader would
            // silently drop it, so refuse instead.
            if (!AvroLogicalTypes.IsValidOn(logicalType, schema.Type, (schema as FixedSchema)?.Size ?? 0))
            {
                throw new SchemaException(
                    $"The logical type {LogicalTypeText(logicalType)} is not valid on {Schema.TypeName(schema.Type)}"
                    + (schema is FixedSchema f ? $" {f.FullName} of {f.Size} bytes" : "") + ".",
                    (schema as NamedSchema)?.FullName ?? "");
            }

            writer.WriteString("logicalType", logicalType.Name);
            if (logicalType.Name == LogicalType.DecimalName)
            {
                writer.WriteNumber("precision", logicalType.Precision);
                writer.WriteNumber("scale", logicalType.Scale);
            }
        }

        private static string LogicalTypeText(LogicalType t) =>
            t.Name == LogicalType.DecimalName ? $"decimal({t.Precision}, {t.Scale})" : t.Name;

        private void WriteProperties(IReadOnlyDictionary<string, JsonNode?> properties)
        {
            foreach (var (key, value) in properties)
            {
                writer.WritePropertyName(key);
                WriteNode(value);
            }
        }

        private void WriteNode(JsonNode? node)
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }

        /// <summary>The shortest name that resolves to <paramref name="name"/> inside namespace <paramref name="ns"/>.</summary>
        private static string Reference(SchemaName name, string? ns) =>
            string.Equals(name.Namespace ?? "", ns ?? "", StringComparison.Ordinal) || name.Namespace is null
                ? name.Name
                : name.FullName;
    }
}
