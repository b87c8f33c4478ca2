namespace Streams.Registry.Formats;

/// <summary>
/// One schema type the registry accepts (Avro...): how its text parses, what makes two schemas the same,
/// and whether data written with one can be read with another.
/// </summary>
public interface ISchemaFormat
{
    /// <summary>The type name in the API: <c>AVRO</c>, <c>JSON</c>...</summary>
    string SchemaType { get; }

    /// <summary>
    /// Parses <paramref name="schema"/>. <paramref name="references"/> are the already parsed schemas it
    /// refers to, in the order declared, each with the name the schema uses for it.
    /// </summary>
    /// <exception cref="SchemaRegistryException">Error 42201 with what is wrong and where.</exception>
    ParsedSchema Parse(string schema, IReadOnlyList<KeyValuePair<string, ParsedSchema>> references);

    /// <summary>
    /// Why data written with <paramref name="writer"/> cannot be read with <paramref name="reader"/>:
    /// every reason, empty when it can.
    /// </summary>
    IReadOnlyList<string> CanRead(ParsedSchema reader, ParsedSchema writer);
}
