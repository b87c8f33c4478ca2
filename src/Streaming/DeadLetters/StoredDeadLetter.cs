using Streams.Streaming.MicroBatches;

namespace Streams.Streaming.DeadLetters;

/// <summary>One row of a pipeline's dead-letter table.</summary>
/// <param name="Record">The record as consumed: position, Kafka timestamp, raw key and value.</param>
/// <param name="SchemaId">The schema id of its wire-format header, when it had one.</param>
/// <param name="Stage">Where it failed: <c>schema</c> or the failing transform.</param>
/// <param name="Reason">Why, the last time it was tried.</param>
/// <param name="DeadAt">When it was first dead-lettered (UTC).</param>
/// <param name="ReplayedAt">When a replay last tried it and it was still dead (UTC), or null.</param>
/// <param name="RecordJson">For a transform failure, the decoded record as JSON; null when it did not decode.</param>
public sealed record StoredDeadLetter(KafkaRecord Record, int? SchemaId, string Stage, string Reason, DateTime DeadAt, DateTime? ReplayedAt,
    string? RecordJson = null);
