namespace Streams.Streaming.MicroBatches;

/// <summary>What one micro-batch did.</summary>
/// <param name="Records">Records consumed.</param>
/// <param name="Rows">Rows written to the main output.</param>
/// <param name="DeadLetters">Records dead-lettered (schema or transform).</param>
/// <param name="CommittedAt">When PostgreSQL committed it (UTC).</param>
public sealed record MicroBatchResult(int Records, int Rows, int DeadLetters, DateTime CommittedAt);
