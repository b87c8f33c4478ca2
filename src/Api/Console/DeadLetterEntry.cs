namespace Streams.Api.Console;

/// <summary>One dead letter of either layer, with where it came from and why.</summary>
/// <param name="Id">Unique in the listing: <c>topic/partition/offset</c> for the speed layer, <c>b&lt;id&gt;</c> for the batch layer.</param>
/// <param name="Source">The topic, or the file.</param>
/// <param name="Partition">The Kafka partition, or null.</param>
/// <param name="Offset">The Kafka offset or the row in the file, or null.</param>
/// <param name="Stage">Where it was rejected (decode, schema, a transform).</param>
/// <param name="Reason">Why.</param>
/// <param name="Record">The record as JSON, or its raw value as hex when it did not decode; null when neither was kept.</param>
/// <param name="CreatedAt">When it was written.</param>
public sealed record DeadLetterEntry(string Id, string? Source, int? Partition, long? Offset, string Stage, string Reason, string? Record,
    DateTime CreatedAt);
