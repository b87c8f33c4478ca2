using System.Text.Json.Serialization;

namespace Streams.Registry.Rest;

/// <summary>The body of <c>PUT /config</c> and its answer; GET answers carry <see cref="CompatibilityLevel"/>.</summary>
public sealed record ConfigBody
{
    /// <summary>The level in PUT requests and answers.</summary>
    [JsonPropertyName("compatibility")] public string? Compatibility { get; init; }

    /// <summary>The level in GET and DELETE answers (also accepted in PUT requests).</summary>
    [JsonPropertyName("compatibilityLevel")] public string? CompatibilityLevel { get; init; }
}
