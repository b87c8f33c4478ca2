using Confluent.Kafka;
using Streams.Catalog.Crawlers;

namespace Streams.Streaming.Kafka;

/// <summary>
/// Lists a cluster's topics from a metadata request for all topics, which (unlike asking for one topic by name)
/// never auto-creates the topic it looks for.
/// </summary>
public sealed class KafkaTopicLister : IKafkaTopicLister
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public Task<IReadOnlySet<string>> ListTopicsAsync(string bootstrapServers, CancellationToken cancellationToken) => Task.Run(() =>
    {
        using var admin = new KafkaClientFactory(new KafkaOptions { BootstrapServers = bootstrapServers }).CreateAdminClient();
        try
        {
            var metadata = admin.GetMetadata(Timeout);
            return (IReadOnlySet<string>)metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).Select(t => t.Topic).ToHashSet(StringComparer.Ordinal);
        }
        catch (KafkaException e)
        {
            throw new IOException($"Kafka at {bootstrapServers} could not be reached: {e.Error.Reason}", e);
        }
    }, cancellationToken);
}
