using Confluent.Kafka;

namespace Streams.Streaming.Kafka;

/// <summary>
/// The one place that turns <see cref="KafkaOptions"/> into Confluent.Kafka clients, so that every
/// producer, consumer and admin client shares the bootstrap servers and the extra properties
/// (security, SASL, timeouts) the operator configured.
/// </summary>
public sealed class KafkaClientFactory
{
    private readonly KafkaOptions _options;

    /// <summary>Creates a factory for <paramref name="options"/>.</summary>
    public KafkaClientFactory(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            throw new ArgumentException(
                "Kafka bootstrap servers are not configured: set Streams:Kafka:BootstrapServers " +
                "(environment variable STREAMS__KAFKA__BOOTSTRAPSERVERS), or run `streams dev`, which starts a broker.",
                nameof(options));
        }

        LibrdkafkaNative.Ensure();
        _options = options;
    }

    /// <summary>The configured bootstrap servers.</summary>
    public string BootstrapServers => _options.BootstrapServers;

    /// <summary>A producer configuration with the shared settings; idempotence is on, as exactly-once needs.</summary>
    public ProducerConfig ProducerConfig() =>
        Apply(new ProducerConfig { EnableIdempotence = true, Acks = Acks.All });

    /// <summary>A consumer configuration for <paramref name="groupId"/> that commits offsets only when told to.</summary>
    public ConsumerConfig ConsumerConfig(string groupId) => Apply(new ConsumerConfig
    {
        GroupId = groupId,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        IsolationLevel = IsolationLevel.ReadCommitted,
    });

    /// <summary>An admin client configuration with the shared settings.</summary>
    public AdminClientConfig AdminClientConfig() => Apply(new AdminClientConfig());

    /// <summary>Builds a producer; <paramref name="configure"/> adjusts the configuration first.</summary>
    public IProducer<TKey, TValue> CreateProducer<TKey, TValue>(Action<ProducerConfig>? configure = null,
        ISerializer<TKey>? keySerializer = null, ISerializer<TValue>? valueSerializer = null)
    {
        var config = ProducerConfig();
        configure?.Invoke(config);
        var builder = new ProducerBuilder<TKey, TValue>(config);
        if (keySerializer is not null)
        {
            builder.SetKeySerializer(keySerializer);
        }

        if (valueSerializer is not null)
        {
            builder.SetValueSerializer(valueSerializer);
        }

        return builder.Build();
    }

    /// <summary>Builds a consumer in <paramref name="groupId"/>; <paramref name="configure"/> adjusts the configuration first.</summary>
    public IConsumer<TKey, TValue> CreateConsumer<TKey, TValue>(string groupId, Action<ConsumerConfig>? configure = null,
        IDeserializer<TKey>? keyDeserializer = null, IDeserializer<TValue>? valueDeserializer = null)
    {
        var config = ConsumerConfig(groupId);
        configure?.Invoke(config);
        var builder = new ConsumerBuilder<TKey, TValue>(config);
        if (keyDeserializer is not null)
        {
            builder.SetKeyDeserializer(keyDeserializer);
        }

        if (valueDeserializer is not null)
        {
            builder.SetValueDeserializer(valueDeserializer);
        }

        return builder.Build();
    }

    /// <summary>Builds an admin client.</summary>
    public IAdminClient CreateAdminClient() => new AdminClientBuilder(AdminClientConfig()).Build();

    private T Apply<T>(T config)
        where T : ClientConfig
    {
        foreach (var (key, value) in _options.Properties)
        {
            config.Set(key, value);
        }

        config.BootstrapServers = _options.BootstrapServers;
        return config;
    }
}
