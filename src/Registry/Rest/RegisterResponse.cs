using System.Text.Json.Serialization;

namespace Streams.Registry.Rest;

/// <summary>The answer of a registration: the global id.</summary>
public sealed record RegisterResponse
{
    /// <summary>The schema id.</summary>
    [JsonPropertyName("id")] public int Id { get; init; }
}
