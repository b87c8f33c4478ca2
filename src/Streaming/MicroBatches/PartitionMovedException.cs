namespace Streams.Streaming.MicroBatches;

/// <summary>Another process has written a partition this one thought it owned: this process must stop without writing.</summary>
public sealed class PartitionMovedException(string message) : Exception(message);
