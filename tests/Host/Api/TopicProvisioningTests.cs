using Streams.Host.Configuration;
using Streams.Host.Dev;
using Streams.Streaming.Kafka;
using Streams.Testing;

namespace Streams.Host.Tests.Api;

/// <summary><c>Streams:Kafka:Topics</c> are created by the host at start-up, on the dev stack's embedded broker.</summary>
public sealed class TopicProvisioningTests
{
    [Fact]
    public async Task Configured_topics_exist_with_their_partitions_when_the_host_has_started()
    {
        await WithStackAsync([new TopicOptions { Name = "orders", Partitions = 4 }, new TopicOptions { Name = "orders.dlq", Partitions = 2 }],
            stack =>
            {
                var topics = new TopicManager(new KafkaClientFactory(new KafkaOptions { BootstrapServers = stack.Options.Kafka.BootstrapServers }));
                topics.List().Where(t => t.Name.StartsWith("orders", StringComparison.Ordinal)).Select(t => (t.Name, t.Partitions))
                    .Should().BeEquivalentTo([("orders", 4), ("orders.dlq", 2)]);
                return Task.CompletedTask;
            });
    }

    [Fact]
    public async Task A_topic_Kafka_refuses_stops_the_host_naming_the_setting()
    {
        var start = () => WithStackAsync([new TopicOptions { Name = "bad name" }], _ => Task.CompletedTask);

        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .Contain("Streams:Kafka:Topics").And.Contain("'bad name'");
    }

    /// <summary>Starts a dev stack (embedded broker, throwaway database) with <paramref name="topics"/> configured and runs <paramref name="test"/> on it.</summary>
    private static async Task WithStackAsync(IEnumerable<TopicOptions> topics, Func<DevStack, Task> test)
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var directory = Directory.CreateTempSubdirectory("streams-topics-").FullName;
        try
        {
            var options = new StreamsOptions();
            options.Postgres.ConnectionString = database.ConnectionString;
            options.Kafka.Topics.AddRange(topics);
            await using var stack = await DevStack.StartAsync(options,
                new DevStackSettings(Path.Combine(directory, ".state"), Brokers: 1, ApiPort: 0), CancellationToken.None);
            await test(stack);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
