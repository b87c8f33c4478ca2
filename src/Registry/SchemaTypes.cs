namespace Streams.Registry;

/// <summary>The schema type names of the registry API (<c>schemaType</c>).</summary>
public static class SchemaTypes
{
    /// <summary>Apache Avro, the default when a request names no type.</summary>
    public const string Avro = "AVRO";

    /// <summary>Normalizes a request's type name: <c>null</c> or empty means Avro; names are upper-cased.</summary>
    public static string Normalize(string? schemaType) =>
        string.IsNullOrEmpty(schemaType) ? Avro : schemaType.ToUpperInvariant();
}
