namespace Streams.Streaming.Kafka;

/// <summary>
/// A topic the host makes sure exists when it starts (<c>Streams:Kafka:Topics</c>): for brokers that do not create
/// topics on first use (<c>auto.create.topics.enable=false</c>, as in docker-compose.yml) and for topics whose
/// partitions or configs matter from the first record.
/// </summary>
public sealed class TopicOptions
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The partition count of a topic this host creates; an existing topic is left as it is.</summary>
    public int Partitions { get; set; } = 1;

    /// <summary>The replication factor of a topic this host creates.</summary>
    public short ReplicationFactor { get; set; } = 1;

    /// <summary>Topic configs such as <c>cleanup.policy</c> or <c>retention.ms</c>.</summary>
    public Dictionary<string, string> Configs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The spec the topic manager creates.</summary>
    public TopicSpec ToSpec() => new(Name, Partitions, ReplicationFactor, Configs);
}
