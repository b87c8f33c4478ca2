namespace Streams.Streaming.Kafka;

/// <summary>A topic as the broker describes it.</summary>
/// <param name="Name">The topic.</param>
/// <param name="Partitions">Each partition with its replicas and offsets.</param>
/// <param name="Configs">The configs set on the topic (not broker defaults); null where the broker cannot tell.</param>
/// <param name="Groups">Consumer groups with committed offsets on the topic; null where the broker cannot tell.</param>
/// <param name="Unavailable">What the broker could not tell, and why; empty when it told everything.</param>
public sealed record TopicDescription(string Name, IReadOnlyList<PartitionDescription> Partitions,
    IReadOnlyDictionary<string, string>? Configs, IReadOnlyList<GroupLag>? Groups, IReadOnlyList<string> Unavailable)
{
    /// <summary>The records the topic holds now (high minus low watermark over all partitions).</summary>
    public long Records => Partitions.Sum(p => p.High - p.Low);
}

/// <summary>One partition of a topic.</summary>
/// <param name="Id">The partition number.</param>
/// <param name="Leader">The leader broker id.</param>
/// <param name="Replicas">The replica broker ids.</param>
/// <param name="InSyncReplicas">The in-sync replica broker ids.</param>
/// <param name="Low">The low watermark: the first offset still held.</param>
/// <param name="High">The high watermark: the offset the next record gets.</param>
public sealed record PartitionDescription(int Id, int Leader, IReadOnlyList<int> Replicas, IReadOnlyList<int> InSyncReplicas, long Low, long High);

/// <summary>A consumer group's position on a topic.</summary>
/// <param name="Group">The group id.</param>
/// <param name="State">The group's state (Stable, Empty...), or null where the broker cannot tell.</param>
/// <param name="Partitions">Committed offset and lag of each partition the group has committed on.</param>
public sealed record GroupLag(string Group, string? State, IReadOnlyList<PartitionLag> Partitions)
{
    /// <summary>The records the group has yet to consume on the topic.</summary>
    public long Lag => Partitions.Sum(p => p.Lag);
}

/// <summary>A group's committed offset on one partition.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Committed">The committed offset.</param>
/// <param name="Lag">High watermark minus the committed offset.</param>
public sealed record PartitionLag(int Partition, long Committed, long Lag);

/// <summary>A topic in a listing.</summary>
/// <param name="Name">The topic.</param>
/// <param name="Partitions">The partition count.</param>
/// <param name="ReplicationFactor">The replica count of its first partition.</param>
public sealed record TopicListing(string Name, int Partitions, int ReplicationFactor);
