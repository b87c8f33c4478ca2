using System.Text.Json.Serialization;

namespace Streams.Registry.Rest;

// The JSON bodies of Confluent's Schema Registry API, shared by the server endpoints and the client.
// Their property names are the API's, which mixes camelCase and snake_case.

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

/// <summary>A schema reference in a body.</summary>
public sealed record SchemaReferenceBody
{
    /// <summary>The name the schema uses for the referenced type.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>The subject the referenced schema is registered under.</summary>
    [JsonPropertyName("subject")] public string? Subject { get; init; }

    /// <summary>Its version there.</summary>
    [JsonPropertyName("version")] public int Version { get; init; }

    /// <summary>Converts to the registry's reference.</summary>
    public SchemaReference ToReference() => new(Name ?? "", Subject ?? "", Version);

    /// <summary>The bodies of <paramref name="references"/>, or <c>null</c> when there are none (the API then omits them).</summary>
    public static IReadOnlyList<SchemaReferenceBody>? FromList(IReadOnlyList<SchemaReference>? references) =>
        references is { Count: > 0 }
            ? references.Select(r => new SchemaReferenceBody { Name = r.Name, Subject = r.Subject, Version = r.Version }).ToList()
            : null;
}

/// <summary>The answer of a registration: the global id.</summary>
public sealed record RegisterResponse
{
    /// <summary>The schema id.</summary>
    [JsonPropertyName("id")] public int Id { get; init; }
}

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
    };

    /// <summary>Converts back to the registry's record.</summary>
    public RegisteredSchema ToRegistered() =>
        new(Subject, Id, Version, SchemaTypes.Normalize(SchemaType), Schema, References?.Select(r => r.ToReference()).ToList() ?? []);
}

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

/// <summary>A subject and version in <c>GET /schemas/ids/{id}/versions</c>.</summary>
public sealed record SubjectVersionBody
{
    /// <summary>The subject.</summary>
    [JsonPropertyName("subject")] public string Subject { get; init; } = "";

    /// <summary>The version.</summary>
    [JsonPropertyName("version")] public int Version { get; init; }
}

/// <summary>The answer of a compatibility test.</summary>
public sealed record CompatibilityResponse
{
    /// <summary>Whether the schema is compatible.</summary>
    [JsonPropertyName("is_compatible")] public bool IsCompatible { get; init; }

    /// <summary>With <c>verbose=true</c>, why not.</summary>
    [JsonPropertyName("messages")] public IReadOnlyList<string>? Messages { get; init; }
}

/// <summary>The body of <c>PUT /config</c> and its answer; GET answers carry <see cref="CompatibilityLevel"/>.</summary>
public sealed record ConfigBody
{
    /// <summary>The level in PUT requests and answers.</summary>
    [JsonPropertyName("compatibility")] public string? Compatibility { get; init; }

    /// <summary>The level in GET and DELETE answers (also accepted in PUT requests).</summary>
    [JsonPropertyName("compatibilityLevel")] public string? CompatibilityLevel { get; init; }
}

/// <summary>The body of <c>PUT /mode</c> and of mode answers.</summary>
public sealed record ModeBody
{
    /// <summary>The mode.</summary>
    [JsonPropertyName("mode")] public string? Mode { get; init; }
}

/// <summary>An error answer.</summary>
public sealed record ErrorBody
{
    /// <summary>Confluent's error code (<see cref="RegistryErrorCodes"/>).</summary>
    [JsonPropertyName("error_code")] public int ErrorCode { get; init; }

    /// <summary>What went wrong.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }
}
