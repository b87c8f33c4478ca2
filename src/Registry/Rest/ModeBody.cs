using System.Text.Json.Serialization;

namespace Streams.Registry.Rest;

/// <summary>The body of <c>PUT /mode</c> and of mode answers.</summary>
public sealed record ModeBody
{
    /// <summary>The mode.</summary>
    [JsonPropertyName("mode")] public string? Mode { get; init; }
}
