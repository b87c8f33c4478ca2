using System.Text.Json.Serialization;

namespace Streams.Registry.Rest;

/// <summary>A subject and version in <c>GET /schemas/ids/{id}/versions</c>.</summary>
public sealed record SubjectVersionBody
{
    /// <summary>The subject.</summary>
    [JsonPropertyName("subject")] public string Subject { get; init; } = "";

    /// <summary>The version.</summary>
    [JsonPropertyName("version")] public int Version { get; init; }
}
