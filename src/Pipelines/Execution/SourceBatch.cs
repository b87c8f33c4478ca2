using Streams.Formats.Model;

namespace Streams.Pipelines.Execution;

/// <summary>
/// A batch of records read from a source, with the positions to commit once everything it produced is
/// stored: per Kafka topic/partition the next offset to read, per file the next row (a bookmark).
/// </summary>
/// <param name="Records">The records (each may carry its own position, for dead letters).</param>
/// <param name="Positions">The positions reached after this batch, one per source partition it read from.</param>
/// <param name="DeadLetters">
/// Data the source could not read as records (an unreadable file, a corrupt block, a row that does not fit the
/// schema), with its position and the reason: the driver hands them to the dead-letter sinks with the step's own.
/// </param>
public sealed record SourceBatch(RecordBatch Records, IReadOnlyList<SourcePosition> Positions, IReadOnlyList<DeadLetter>? DeadLetters = null);
