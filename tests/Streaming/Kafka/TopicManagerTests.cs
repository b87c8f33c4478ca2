using Confluent.Kafka;
using Streams.Streaming.Kafka;

namespace Streams.Streaming.Tests.Kafka;

public sealed class TopicManagerTests : IDisposable
{
    private readonly MockKafkaCluster _cluster = MockKafkaCluster.Start(brokers: 3);
    private readonly KafkaClientFactory _clients;
    private readonly TopicManager _topics;

    public TopicManagerTests()
    {
        _clients = new KafkaClientFactory(new KafkaOptions { BootstrapServers = _cluster.BootstrapServers });
        _topics = new TopicManager(_clients, _cluster);
    }

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task Creates_topics_with_the_chosen_partitions_and_replicas_on_the_embedded_broker()
    {
        (await _topics.EnsureAsync(new TopicSpec("orders", 6, 3))).Should().BeTrue();
        (await _topics.EnsureAsync(new TopicSpec("orders", 2))).Should().BeFalse("an existing topic is left as it is");
        await _topics.EnsureAsync(TopicSpec.Changelog("app", "counts", 2));

        _topics.List().Should().Equal(new TopicListing("app-counts-changelog", 2, 1), new TopicListing("orders", 6, 3));
        var create = () => _topics.CreateAsync(new TopicSpec("orders", 1));
        (await create.Should().ThrowAsync<TopicException>()).Which.Error.Should().Be(TopicError.Exists);
    }

    [Fact]
    public async Task Describes_watermarks_and_the_lag_of_a_named_group()
    {
        await _topics.CreateAsync(new TopicSpec("clicks", 2));
        using (var producer = _clients.CreateProducer<Null, string>())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(new TopicPartition("clicks", i % 2), new Message<Null, string> { Value = $"v{i}" });
            }
        }

        using (var consumer = _clients.CreateConsumer<Ignore, string>("readers"))
        {
            consumer.Commit([new TopicPartitionOffset("clicks", 0, 5), new TopicPartitionOffset("clicks", 1, 2)]);
        }

        var description = await _topics.DescribeAsync("clicks", ["readers", "nobody"]);
        description.Partitions.Select(p => (p.Id, p.Low, p.High)).Should().Equal((0, 0L, 5L), (1, 0L, 5L));
        description.Records.Should().Be(10);
        description.Configs.Should().BeNull();
        description.Unavailable.Should().Contain(u => u.StartsWith("consumer groups:", StringComparison.Ordinal));
        description.Groups.Should().BeEquivalentTo(new[]
        {
            new GroupLag("nobody", null, []),
            new GroupLag("readers", null, [new PartitionLag(0, 5, 0), new PartitionLag(1, 2, 3)]),
        });
    }

    [Fact]
    public async Task Deletes_topics_and_names_the_missing_ones()
    {
        await _topics.CreateAsync(new TopicSpec("gone", 1));
        await _topics.DeleteAsync("gone");
        _topics.List().Should().NotContain(t => t.Name == "gone");

        var again = () => _topics.DeleteAsync("gone");
        (await again.Should().ThrowAsync<TopicException>()).Which.Error.Should().Be(TopicError.NotFound);
        var describe = () => _topics.DescribeAsync("gone");
        (await describe.Should().ThrowAsync<TopicException>()).WithMessage("*does not exist*");
    }

    [Theory]
    [InlineData("bad topic", "*contains ' '*")]
    [InlineData("..", "*cannot be*")]
    [InlineData("", "*empty*")]
    public async Task Refuses_names_kafka_refuses(string name, string message)
    {
        var create = () => _topics.CreateAsync(new TopicSpec(name, 1));
        (await create.Should().ThrowAsync<TopicException>()).WithMessage(message).Which.Error.Should().Be(TopicError.Invalid);
    }

    [Fact]
    public async Task Refuses_more_replicas_than_brokers()
    {
        var create = () => _topics.CreateAsync(new TopicSpec("wide", 1, 4));
        (await create.Should().ThrowAsync<TopicException>()).WithMessage("*--brokers*");
    }
}
