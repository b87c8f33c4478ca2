using Streams.Formats.Model;

namespace Streams.Formats.Avro.Schemas;

/// <summary>The naming rules of the Avro specification ("Names"), shared by the parser and the writer.</summary>
internal static class AvroNames
{
    /// <summary>
    /// True when <paramref name="name"/> matches <c>[A-Za-z_][A-Za-z0-9_]*</c>, the rule for simple names,
    /// field names and enum symbols.
    /// </summary>
    public static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name[1..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when every dot-separated part of <paramref name="ns"/> is a valid name.</summary>
    public static bool IsValidNamespace(string ns)
    {
        foreach (var part in ns.AsSpan().Split('.'))
        {
            if (!IsValidName(ns.AsSpan()[part]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The primitive kind named <paramref name="name"/>, or <c>null</c> when it names no primitive.</summary>
    public static SchemaType? Primitive(string name) => name switch
    {
        "null" => SchemaType.Null,
        "boolean" => SchemaType.Boolean,
        "int" => SchemaType.Int,
        "long" => SchemaType.Long,
        "float" => SchemaType.Float,
        "double" => SchemaType.Double,
        "bytes" => SchemaType.Bytes,
        "string" => SchemaType.String,
        _ => null,
    };
}
