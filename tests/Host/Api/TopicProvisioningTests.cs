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
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var directory = Directory.CreateTempSubdirectory("streams-topics-").FullName;
        try
        {
            var options = new StreamsOptions();
            options.Postgres.ConnectionString = database.ConnectionString;
            options.Kafka.Topics.Add(new TopicOptions { Name = "orders", Partitions = 4 });
            options.Kafka.Topics.Add(new TopicOptions { Name = "orders.dlq", Partitions = 2 });
            await using (var stack = await DevStack.StartAsync(options, new DevStackSettings(Path.Combine(directory, ".state"), Brokers: 1, ApiPort: 0),
                             CancellationToken.None))
            {
                var topics = new TopicManager(new KafkaClientFactory(new KafkaOptions { BootstrapServers = stack.Options.Kafka.BootstrapServers }));
                topics.List().Where(t => t.Name.StartsWith("orders", StringComparison.Ordinal)).Select(t => (t.Name, t.Partitions))
                    .Should().BeEquivalentTo([("orders", 4), ("orders.dlq", 2)]);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_topic_Kafka_refuses_stops_the_host_naming_the_setting()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var directory = Directory.CreateTempSubdirectory("streams-topics-").FullName;
        try
        {
            var options = new StreamsOptions();
            options.Postgres.ConnectionString = database.ConnectionString;
            options.Kafka.Topics.Add(new TopicOptions { Name = "bad name" });
            var start = async () =>
            {
                await using var stack = await DevStack.StartAsync(options,
                    new DevStackSettings(Path.Combine(directory, ".state"), Brokers: 1, ApiPort: 0), CancellationToken.None);
            };

            (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
                .Contain("Streams:Kafka:Topics").And.Contain("'bad name'");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
