using Confluent.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Kafka;
using Streamiz.Kafka.Net.Kafka.Internal;
using Streamiz.Kafka.Net.Metrics;

namespace Streams.Streaming.Topology;

/// <summary>
/// Streamiz's own Kafka clients, except that the stream threads' consumer is a <see cref="PositionsInPostgresConsumer"/>.
/// </summary>
internal sealed class SpeedClientSupplier(IStreamConfig config) : IKafkaSupplier
{
    private readonly DefaultKafkaClientSupplier _clients = new(new KafkaLoggerAdapter(config), config);

    public StreamMetricsRegistry MetricsRegistry
    {
        get => _clients.MetricsRegistry;
        set => _clients.MetricsRegistry = value;
    }

    public IConsumer<byte[], byte[]> GetConsumer(ConsumerConfig config, IConsumerRebalanceListener rebalanceListener) =>
        new PositionsInPostgresConsumer(_clients.GetConsumer(config, rebalanceListener));

    public IProducer<byte[], byte[]> GetProducer(ProducerConfig config) => _clients.GetProducer(config);

    public IConsumer<byte[], byte[]> GetRestoreConsumer(ConsumerConfig config) => _clients.GetRestoreConsumer(config);

    public IAdminClient GetAdmin(AdminClientConfig config) => _clients.GetAdmin(config);

    public IConsumer<byte[], byte[]> GetGlobalConsumer(ConsumerConfig config) => _clients.GetGlobalConsumer(config);
}
