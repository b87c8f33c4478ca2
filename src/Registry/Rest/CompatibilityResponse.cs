using System.Text.Json.Serialization;

namespace Streams.Registry.Rest;

/// <summary>The answer of a compatibility test.</summary>
public sealed record CompatibilityResponse
{
    /// <summary>Whether the schema is compatible.</summary>
    [JsonPropertyName("is_compatible")] public bool IsCompatible { get; init; }

    /// <summary>With <c>verbose=true</c>, why not.</summary>
    [JsonPropertyName("messages")] public IReadOnlyList<string>? Messages { get; init; }
}
