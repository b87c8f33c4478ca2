using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streams.Streaming.Kafka;

namespace Streams.Api.Kafka;

/// <summary>
/// Creates the configured <see cref="KafkaOptions.Topics"/> before the host serves, through the topic manager (the
/// admin API on real Kafka, the mock cluster's own call on the embedded broker). A broker still starting is waited
/// for, up to <see cref="BrokerWait"/>; an invalid topic or a broker that never answers stops the host with the reason.
/// </summary>
// Why the service provider rather than the manager: the manager is built only when there are topics to create, so a
// host without Kafka settings still starts.
internal sealed class TopicProvisioner(KafkaOptions kafka, IServiceProvider services, ILogger<TopicProvisioner> logger, TimeProvider time) : IHostedService
{
    /// <summary>How long a broker that cannot be reached is retried at start-up (Kafka in docker-compose starts after the host).</summary>
    internal static readonly TimeSpan BrokerWait = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (kafka.Topics.Count == 0)
        {
            return;
        }

        var topics = services.GetRequiredService<TopicManager>();
        var deadline = time.GetUtcNow() + BrokerWait;
        foreach (var topic in kafka.Topics)
        {
            while (true)
            {
                try
                {
                    var created = await topics.EnsureAsync(topic.ToSpec(), cancellationToken);
                    if (created)
                    {
                        logger.LogInformation("Created topic {Topic} ({Partitions} partitions)", topic.Name, topic.Partitions);
                    }
                    else
                    {
                        logger.LogInformation("Topic {Topic} exists; left as it is", topic.Name);
                    }

                    break;
                }
                catch (TopicException e) when (e.Error == TopicError.Broker && time.GetUtcNow() < deadline)
                {
                    logger.LogWarning("Kafka is not ready for topic {Topic} ({Reason}); retrying", topic.Name, e.Message);
                    await Task.Delay(RetryDelay, time, cancellationToken);
                }
                catch (TopicException e)
                {
                    throw new InvalidOperationException(
                        $"Streams:Kafka:Topics: topic '{topic.Name}' could not be made ready: {e.Message} Fix the setting or the broker and start again.", e);
                }
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
