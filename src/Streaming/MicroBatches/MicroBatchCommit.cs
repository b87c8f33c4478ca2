namespace Streams.Streaming.MicroBatches;

/// <summary>One committed micro-batch.</summary>
/// <param name="Topic">The source topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="FirstOffset">Its first offset.</param>
/// <param name="LastOffset">Its last offset.</param>
/// <param name="Result">What it wrote.</param>
/// <param name="Took">How long writing it took.</param>
public sealed record MicroBatchCommit(string Topic, int Partition, long FirstOffset, long LastOffset, MicroBatchResult Result, TimeSpan Took);
