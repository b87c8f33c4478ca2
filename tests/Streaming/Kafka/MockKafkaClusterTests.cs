using Confluent.Kafka;
using Streams.Streaming.Kafka;

namespace Streams.Streaming.Tests.Kafka;

public sealed class MockKafkaClusterTests
{
    [Fact]
    public async Task Produces_and_consumes_through_the_kafka_wire_protocol()
    {
        using var cluster = MockKafkaCluster.Start(brokers: 3);
        cluster.BootstrapServers.Split(',').Should().HaveCount(3).And.OnlyContain(s => s.StartsWith("127.0.0.1:", StringComparison.Ordinal));
        var factory = new KafkaClientFactory(new KafkaOptions { BootstrapServers = cluster.BootstrapServers });
        const string topic = "orders";

        using (var producer = factory.CreateProducer<string, string>())
        {
            for (var i = 0; i < 20; i++)
            {
                var report = await producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i % 5}", Value = $"v{i}" });
                report.Status.Should().Be(PersistenceStatus.Persisted);
            }
        }

        using var consumer = factory.CreateConsumer<string, string>("round-trip");
        consumer.Subscribe(topic);
        var received = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (received.Count < 20 && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is not null)
            {
                received.Add(result);
            }
        }

        received.Select(r => r.Message.Value).Should().BeEquivalentTo(Enumerable.Range(0, 20).Select(i => $"v{i}"));
        // Same key, same partition, in production order: the ordering guarantee pipelines rely on.
        foreach (var byKey in received.GroupBy(r => r.Message.Key))
        {
            byKey.Select(r => r.Partition.Value).Distinct().Should().ContainSingle();
            byKey.Select(r => int.Parse(r.Message.Value[1..], System.Globalization.CultureInfo.InvariantCulture)).Should().BeInAscendingOrder();
        }

        consumer.Commit(received[^1]);
        consumer.Close();
    }

    [Fact]
    public void A_factory_without_bootstrap_servers_names_the_setting_to_fix()
    {
        var act = () => new KafkaClientFactory(new KafkaOptions());
        act.Should().Throw<ArgumentException>().WithMessage("*STREAMS__KAFKA__BOOTSTRAPSERVERS*");
    }
}
