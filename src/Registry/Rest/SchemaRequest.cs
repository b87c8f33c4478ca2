using System.Text.Json.Serialization;

namespace Streams.Registry.Rest;

/// <summary>The body of a register, look-up or compatibility request.</summary>
public sealed record SchemaRequest
{
    /// <summary>The schema text.</summary>
    [JsonPropertyName("schema")] public string? Schema { get; init; }

    /// <summary>The schema type; absent means AVRO.</summary>
    [JsonPropertyName("schemaType")] public string? SchemaType { get; init; }

    /// <summary>The references the schema uses.</summary>
    [JsonPropertyName("references")] public IReadOnlyList<SchemaReferenceBody>? References { get; init; }

    /// <summary>In IMPORT mode, the schema id to register under.</summary>
    [JsonPropertyName("id")] public int? Id { get; init; }

    /// <summary>In IMPORT mode, the version to register as.</summary>
    [JsonPropertyName("version")] public int? Version { get; init; }

    /// <summary>Converts to the registry's submission.</summary>
    public SchemaSubmission ToSubmission() =>
        new(Schema ?? "", SchemaType, References?.Select(r => r.ToReference()).ToList(), Id, Version);

    /// <summary>The request for <paramref name="submission"/>.</summary>
    public static SchemaRequest From(SchemaSubmission submission) => new()
    {
        Schema = submission.Schema,
        SchemaType = submission.SchemaType is null || submission.SchemaType == SchemaTypes.Avro ? null : submission.SchemaType,
        References = SchemaReferenceBody.FromList(submission.References),
        Id = submission.Id,
        Version = submission.Version,
    };
}
