using Microsoft.Extensions.DependencyInjection;
using Streams.Streaming.Kafka;

namespace Streams.Api.Kafka;

/// <summary>Registers the topics API's services with dependency injection.</summary>
public static class TopicServiceCollectionExtensions
{
    /// <summary>Registers the host's topic manager; <paramref name="embedded"/> is the dev stack's broker, if any.</summary>
    public static IServiceCollection AddTopicManager(this IServiceCollection services, KafkaOptions kafka, MockKafkaCluster? embedded) =>
        services.AddSingleton(_ => new TopicManager(new KafkaClientFactory(kafka), embedded));
}
