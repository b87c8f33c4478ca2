using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Streams.Streaming.Kafka;

namespace Streams.Api.Kafka;

/// <summary>Registers the host's <see cref="TopicManager"/> with dependency injection.</summary>
public static class TopicManagerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the topic manager for <paramref name="kafka"/>; <paramref name="embedded"/> is the dev stack's in-process broker,
    /// if any. It is built on first use, so a host without Kafka settings starts and its topic endpoints answer 503.
    /// </summary>
    public static IServiceCollection AddTopicManager(this IServiceCollection services, KafkaOptions kafka, MockKafkaCluster? embedded)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(_ => new TopicManager(new KafkaClientFactory(kafka), embedded));
        return services;
    }
}
