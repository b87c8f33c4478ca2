using System.Text.Json.Serialization;

namespace Streams.Api.Status;

/// <summary>Freshness quantiles in seconds (null before any commit).</summary>
public sealed record FreshnessBody(
    [property: JsonPropertyName("p50")] double? P50,
    [property: JsonPropertyName("p99")] double? P99);
