namespace Streams.Streaming.Monitoring;

/// <summary>One source partition of a speed-layer pipeline: where it stands against the topic.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="NextOffset">The next offset the pipeline will apply (everything before it is in PostgreSQL), or null before any commit.</param>
/// <param name="LowOffset">The partition's oldest offset on the broker, or null when the broker could not be asked.</param>
/// <param name="HighOffset">The partition's next offset to be written on the broker, or null when the broker could not be asked.</param>
/// <param name="Pending">Records consumed and waiting in this process's micro-batch (0 when read from PostgreSQL).</param>
/// <param name="LastCommitAt">When the partition's position last committed (UTC), when known.</param>
public sealed record PartitionStatus(int Partition, long? NextOffset, long? LowOffset, long? HighOffset, int Pending, DateTime? LastCommitAt = null)
{
    /// <summary>Records on the broker the pipeline has not committed yet, or null when the broker could not be asked.</summary>
    public long? Lag => HighOffset is { } high ? Math.Max(0, high - Math.Max(NextOffset ?? 0, LowOffset ?? 0)) : null;
}
