using System.Text.Json.Serialization;

namespace Streams.Registry.Rest;

/// <summary>A subject version or look-up answer.</summary>
public sealed record SubjectVersionResponse
{
    /// <summary>The subject.</summary>
    [JsonPropertyName("subject")] public string Subject { get; init; } = "";

    /// <summary>The schema id.</summary>
    [JsonPropertyName("id")] public int Id { get; init; }

    /// <summary>The version.</summary>
    [JsonPropertyName("version")] public int Version { get; init; }

    /// <summary>The schema type, omitted for AVRO.</summary>
    [JsonPropertyName("schemaType")] public string? SchemaType { get; init; }

    /// <summary>The references, omitted when there are none.</summary>
    [JsonPropertyName("references")] public IReadOnlyList<SchemaReferenceBody>? References { get; init; }

    /// <summary>The version's UUID (Glue's schema version id); only in the answers that look versions up by it.</summary>
    [JsonPropertyName("versionId")] public Guid? VersionId { get; init; }

    /// <summary>The schema text.</summary>
    [JsonPropertyName("schema")] public string Schema { get; init; } = "";

    /// <summary>The body for <paramref name="schema"/>.</summary>
    public static SubjectVersionResponse From(RegisteredSchema schema) => new()
    {
        Subject = schema.Subject,
        Id = schema.Id,
        Version = schema.Version,
        SchemaType = schema.SchemaType == SchemaTypes.Avro ? null : schema.SchemaType,
        References = SchemaReferenceBody.FromList(schema.References),
        Schema = schema.Schema,
        VersionId = schema.VersionId,
    };

    /// <summary>Converts back to the registry's record.</summary>
    public RegisteredSchema ToRegistered() =>
        new(Subject, Id, Version, SchemaTypes.Normalize(SchemaType), Schema, References?.Select(r => r.ToReference()).ToList() ?? []) { VersionId = VersionId };
}
