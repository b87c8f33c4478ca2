namespace Streams.Streaming.Kafka;

/// <summary>A topic as Streams wants it: partitions, replicas and topic configs (<c>cleanup.policy</c>, <c>retention.ms</c>...).</summary>
/// <param name="Name">The topic name.</param>
/// <param name="Partitions">The partition count.</param>
/// <param name="ReplicationFactor">The replica count of each partition.</param>
/// <param name="Configs">Topic configs; the embedded broker keeps none.</param>
public sealed record TopicSpec(string Name, int Partitions, short ReplicationFactor, IReadOnlyDictionary<string, string> Configs)
{
    /// <summary>A topic with no configs of its own.</summary>
    public TopicSpec(string name, int partitions, short replicationFactor = 1)
        : this(name, partitions, replicationFactor, new Dictionary<string, string>(StringComparer.Ordinal))
    {
    }

    /// <summary>
    /// The changelog topic of a Streamiz (Kafka Streams) state store, <c>&lt;applicationId&gt;-&lt;store&gt;-changelog</c>,
    /// compacted as Kafka Streams makes it. Streamiz cannot create it on the embedded broker: create it first.
    /// </summary>
    public static TopicSpec Changelog(string applicationId, string store, int partitions, short replicationFactor = 1) =>
        new($"{applicationId}-{store}-changelog", partitions, replicationFactor,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["cleanup.policy"] = "compact" });

    /// <summary>A repartition topic of a Streamiz topology, <c>&lt;applicationId&gt;-&lt;name&gt;-repartition</c>.</summary>
    public static TopicSpec Repartition(string applicationId, string name, int partitions, short replicationFactor = 1) =>
        new($"{applicationId}-{name}-repartition", partitions, replicationFactor);
}
