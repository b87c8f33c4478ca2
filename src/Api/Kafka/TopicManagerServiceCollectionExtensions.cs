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
    /// The topics of <see cref="KafkaOptions.Topics"/> are created when the host starts.
    /// </summary>
    public static IServiceCollection AddTopicManager(this IServiceCollection services, KafkaOptions kafka, MockKafkaCluster? embedded)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(_ => new TopicManager(new KafkaClientFactory(kafka), embedded));
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<TopicProvisioner>(provider, kafka));
        return services;
    }
}
