namespace Streams.Catalog.Crawlers;

/// <summary>
/// Lists the topics a Kafka cluster has, so that the Kafka crawler can say a target topic does not exist instead
/// of only that its subject is missing. The Kafka client lives in Streaming, above the catalog: the host supplies it.
/// </summary>
public interface IKafkaTopicLister
{
    /// <summary>The names of the topics on the cluster at <paramref name="bootstrapServers"/>.</summary>
    /// <exception cref="IOException">The cluster could not be reached; the message says where and why.</exception>
    Task<IReadOnlySet<string>> ListTopicsAsync(string bootstrapServers, CancellationToken cancellationToken);
}
