using Confluent.Kafka;

namespace Streams.Streaming.Kafka;

/// <summary>
/// An in-process Kafka-protocol broker: librdkafka's mock cluster, listening on real TCP sockets on
/// 127.0.0.1, so that any Kafka client (this process's, kcat, another process) can use it through
/// <see cref="BootstrapServers"/>. It backs <c>streams dev</c> and the tests; it lives as long as
/// this object, whose librdkafka handle owns the cluster.
/// </summary>
/// <remarks>
/// Not a Kafka replacement: the mock cluster keeps data in memory, auto-creates topics with four
/// partitions on first use, and does not implement the admin API for topics (CreateTopics and the like).
/// </remarks>
public sealed class MockKafkaCluster : IDisposable
{
    private readonly IProducer<Null, Null> _owner;

    private MockKafkaCluster(IProducer<Null, Null> owner, string bootstrapServers, int brokers)
    {
        _owner = owner;
        BootstrapServers = bootstrapServers;
        Brokers = brokers;
    }

    /// <summary>The brokers' <c>host:port</c> list.</summary>
    public string BootstrapServers { get; }

    /// <summary>The number of brokers.</summary>
    public int Brokers { get; }

    /// <summary>Starts a mock cluster of <paramref name="brokers"/> brokers.</summary>
    /// <exception cref="KafkaException">librdkafka could not start it.</exception>
    public static MockKafkaCluster Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        LibrdkafkaNative.Ensure();
        var config = new ProducerConfig();
        // Warnings and above only: the mock cluster announces itself at notice level on every start.
        config.Set("log_level", "4");
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var owner = new ProducerBuilder<Null, Null>(config).Build();
        try
        {
            using var admin = new DependentAdminClientBuilder(owner.Handle).Build();
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
            var servers = string.Join(',', metadata.Brokers.OrderBy(b => b.BrokerId).Select(b => $"{b.Host}:{b.Port}"));
            if (metadata.Brokers.Count != brokers)
            {
                throw new InvalidOperationException(
                    $"The mock cluster reported {metadata.Brokers.Count} brokers, expected {brokers}.");
            }

            return new MockKafkaCluster(owner, servers, brokers);
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>Stops the cluster; clients still connected see their connections close.</summary>
    public void Dispose() => _owner.Dispose();
}
