namespace Streams.Streaming;

/// <summary>One partition owned by this process.</summary>
public sealed class PartitionMetrics(string topic, int partition)
{
    /// <summary>The source topic.</summary>
    public string Topic { get; } = topic;

    /// <summary>The partition.</summary>
    public int Partition { get; } = partition;

    /// <summary>The next offset the partition will apply (everything before it is in PostgreSQL).</summary>
    public long NextOffset { get; internal set; }

    /// <summary>Records consumed and waiting in the partition's micro-batch.</summary>
    public int Pending { get; internal set; }

    /// <summary>Whether this process owns the partition now.</summary>
    public bool Assigned { get; internal set; }
}
