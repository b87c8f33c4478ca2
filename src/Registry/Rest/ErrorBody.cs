using System.Text.Json.Serialization;

namespace Streams.Registry.Rest;

/// <summary>An error answer.</summary>
public sealed record ErrorBody
{
    /// <summary>Confluent's error code (<see cref="RegistryErrorCodes"/>).</summary>
    [JsonPropertyName("error_code")] public int ErrorCode { get; init; }

    /// <summary>What went wrong.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }
}
