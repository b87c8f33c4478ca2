using Streams.Streaming.Kafka;

namespace Streams.Streaming;

/// <summary>How a speed layer process reaches Kafka and how its Streamiz application behaves.</summary>
public sealed record SpeedLayerOptions
{
    /// <summary>Kafka bootstrap servers and client properties (applied to Streamiz's consumers and producer).</summary>
    public required KafkaOptions Kafka { get; init; }

    /// <summary>
    /// How often Streamiz commits consumed offsets to Kafka. Exactly-once does not depend on it (PostgreSQL
    /// holds the positions); it only bounds how much a restarted process re-reads and skips.
    /// </summary>
    public TimeSpan KafkaCommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The consumer group session timeout. A member that dies (or leaves, with the classic protocol Streamiz
    /// uses) holds its partitions this long before the group moves them; null keeps librdkafka's 45 s.
    /// </summary>
    public TimeSpan? SessionTimeout { get; init; }

    /// <summary>
    /// The Streamiz application id, which is also the consumer group; null: the pipeline name, so every process
    /// of a pipeline shares the group. A new group has no committed Kafka offsets and reads the topic from the
    /// start, and still applies nothing twice: the positions that count are in PostgreSQL.
    /// </summary>
    public string? ApplicationId { get; init; }

    /// <summary>Streamiz stream threads in this process (tasks, one per partition, are spread over them).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Streamiz's state directory; the micro-batch store keeps nothing there, but Streamiz locks task folders in it.</summary>
    public string StateDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "streams-speed");
}
