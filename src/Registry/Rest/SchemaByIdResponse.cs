using System.Text.Json.Serialization;

namespace Streams.Registry.Rest;

/// <summary>The answer of <c>GET /schemas/ids/{id}</c>.</summary>
public sealed record SchemaByIdResponse
{
    /// <summary>The schema text.</summary>
    [JsonPropertyName("schema")] public string Schema { get; init; } = "";

    /// <summary>The schema type, omitted for AVRO.</summary>
    [JsonPropertyName("schemaType")] public string? SchemaType { get; init; }

    /// <summary>The references, omitted when there are none.</summary>
    [JsonPropertyName("references")] public IReadOnlyList<SchemaReferenceBody>? References { get; init; }
}
