using System.Text;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Schemas;

/// <summary>
/// The Parsing Canonical Form of a schema (Avro 1.11 specification, "Parsing Canonical Form for Schemas"):
/// primitives as bare names (PRIMITIVES), full names everywhere (FULLNAMES), only the attributes that
/// matter for parsing (STRIP: type, name, fields, symbols, items, values, size; doc, aliases, defaults,
/// logical types and custom properties go), in the order name, type, fields, symbols, items, values, size
/// (ORDER), with no whitespace, no string escapes and plain integers (STRINGS, INTEGERS, WHITESPACE).
/// </summary>
/// <remarks>
/// Two schemas with the same canonical form read and write the same binary data. A named type appears
/// in full at its first occurrence (depth first, in field order) and as its full name afterwards.
/// Names and symbols can only hold <c>[A-Za-z0-9_.]</c>, so STRINGS needs no escaping at all.
/// An <c>error</c> keeps its type name <c>"error"</c>: STRIP keeps the type attribute as written (the
/// Python implementation agrees; Java writes <c>"record"</c>).
/// </remarks>
public static class CanonicalForm
{
    /// <summary>The canonical form of <paramref name="schema"/> as a string.</summary>
    public static string Of(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var builder = new StringBuilder();
        Write(builder, schema, new Dictionary<string, NamedSchema>(StringComparer.Ordinal));
        return builder.ToString();
    }

    /// <summary>The UTF-8 bytes of the canonical form, the input of <see cref="SchemaFingerprint"/>.</summary>
    public static byte[] Utf8Of(Schema schema) => Encoding.UTF8.GetBytes(Of(schema));

    /// <summary>
    /// Whether <paramref name="named"/> was already written, checking that a schema built in code does not hold two
    /// different definitions under one name (written by name, the second would silently become the first).
    /// </summary>
    internal static bool IsRepeat(NamedSchema named, Dictionary<string, NamedSchema> written)
    {
        if (!written.TryGetValue(named.FullName, out var first))
        {
            written.Add(named.FullName, named);
            return false;
        }

        return ReferenceEquals(first, named) || Of(first) == Of(named)
            ? true
            : throw new SchemaException($"The schema holds two different definitions of {named.FullName}.", named.FullName);
    }

    private static void Write(StringBuilder b, Schema schema, Dictionary<string, NamedSchema> written)
    {
        switch (schema)
        {
            case NamedSchema named when IsRepeat(named, written):
                b.Append('"').Append(named.FullName).Append('"');
                break;
            case RecordSchema record:
                b.Append("{\"name\":\"").Append(record.FullName).Append("\",\"type\":\"")
                    .Append(record.IsError ? "error" : "record").Append("\",\"fields\":[");
                for (var i = 0; i < record.Fields.Count; i++)
                {
                    var field = record.Fields[i];
                    b.Append(i == 0 ? "" : ",").Append("{\"name\":\"").Append(field.Name).Append("\",\"type\":");
                    Write(b, field.Schema, written);
                    b.Append('}');
                }

                b.Append("]}");
                break;
            case EnumSchema e:
                b.Append("{\"name\":\"").Append(e.FullName).Append("\",\"type\":\"enum\",\"symbols\":[");
                for (var i = 0; i < e.Symbols.Count; i++)
                {
                    b.Append(i == 0 ? "\"" : ",\"").Append(e.Symbols[i]).Append('"');
                }

                b.Append("]}");
                break;
            case FixedSchema f:
                b.Append("{\"name\":\"").Append(f.FullName).Append("\",\"type\":\"fixed\",\"size\":")
                    .Append(f.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('}');
                break;
            case ArraySchema array:
                b.Append("{\"type\":\"array\",\"items\":");
                Write(b, array.Items, written);
                b.Append('}');
                break;
            case MapSchema map:
                b.Append("{\"type\":\"map\",\"values\":");
                Write(b, map.Values, written);
                b.Append('}');
                break;
            case UnionSchema union:
                b.Append('[');
                for (var i = 0; i < union.Branches.Count; i++)
                {
                    b.Append(i == 0 ? "" : ",");
                    Write(b, union.Branches[i], written);
                }

                b.Append(']');
                break;
            default:
                b.Append('"').Append(Schema.TypeName(schema.Type)).Append('"');
                break;
        }
    }
}
