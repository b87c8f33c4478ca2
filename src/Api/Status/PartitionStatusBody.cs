using System.Text.Json.Serialization;

namespace Streams.Api.Status;

/// <summary>One owned partition in <see cref="PipelineStatusBody"/>.</summary>
public sealed record PartitionStatusBody(
    [property: JsonPropertyName("partition")] int Partition,
    [property: JsonPropertyName("nextOffset")] long? NextOffset,
    [property: JsonPropertyName("highOffset")] long? HighOffset,
    [property: JsonPropertyName("lag")] long? Lag,
    [property: JsonPropertyName("pending")] int Pending);
