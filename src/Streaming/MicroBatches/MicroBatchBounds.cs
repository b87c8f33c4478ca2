namespace Streams.Streaming.MicroBatches;

/// <summary>When a micro-batch is written: at <paramref name="MaxRecords"/> records or when its first record has waited <paramref name="MaxInterval"/>.</summary>
public sealed record MicroBatchBounds(int MaxRecords, TimeSpan MaxInterval);
