using System.Text.Json.Serialization;

namespace Streams.Api.Status;

/// <summary>One pipeline in <see cref="StatusResponse"/>.</summary>
public sealed record PipelineStatusBody(
    [property: JsonPropertyName("pipeline")] string Pipeline,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("recordsIn")] long RecordsIn,
    [property: JsonPropertyName("rowsOut")] long RowsOut,
    [property: JsonPropertyName("deadLetters")] long DeadLetters,
    [property: JsonPropertyName("recordsPerSecond")] double RecordsPerSecond,
    [property: JsonPropertyName("lag")] long? Lag,
    [property: JsonPropertyName("freshnessSeconds")] FreshnessBody Freshness,
    [property: JsonPropertyName("lastCommitAt")] DateTime? LastCommitAt,
    [property: JsonPropertyName("partitions")] IReadOnlyList<PartitionStatusBody> Partitions);
