using Streams.Catalog.Crawlers;

namespace Streams.Streaming.Kafka;

/// <summary>
/// Lists a cluster's topics for the Kafka crawler through the <see cref="TopicManager"/>: a metadata request for all
/// topics, which (unlike asking for one topic by name) never auto-creates the topic it looks for.
/// </summary>
public sealed class KafkaTopicLister : IKafkaTopicLister
{
    /// <inheritdoc />
    public Task<IReadOnlySet<string>> ListTopicsAsync(string bootstrapServers, CancellationToken cancellationToken) => Task.Run(() =>
    {
        var topics = new TopicManager(new KafkaClientFactory(new KafkaOptions { BootstrapServers = bootstrapServers }));
        try
        {
            return (IReadOnlySet<string>)topics.List(includeInternal: true).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        }
        catch (TopicException e) when (e.Error == TopicError.Broker)
        {
            throw new IOException($"Kafka at {bootstrapServers} could not be reached: {e.InnerException?.Message ?? e.Message}", e);
        }
    }, cancellationToken);
}
