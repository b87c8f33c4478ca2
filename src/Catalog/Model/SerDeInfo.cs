namespace Streams.Catalog.Model;

/// <summary>The serializer/deserializer of a table's files (Glue <c>SerDeInfo</c>).</summary>
public sealed record SerDeInfo
{
    public string? Name { get; init; }
    public string? SerializationLibrary { get; init; }
    public Dictionary<string, string>? Parameters { get; init; }
}
