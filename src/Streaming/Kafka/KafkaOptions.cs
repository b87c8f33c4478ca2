namespace Streams.Streaming.Kafka;

/// <summary>How to reach Kafka.</summary>
public sealed class KafkaOptions
{
    /// <summary>Comma-separated <c>host:port</c> list; empty under <c>streams dev</c>, which starts a broker.</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>Extra librdkafka properties (e.g. <c>security.protocol</c>, <c>sasl.mechanism</c>) applied to every client.</summary>
    public Dictionary<string, string> Properties { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Topics created at host start-up unless they exist (see <see cref="TopicOptions"/>).</summary>
    public List<TopicOptions> Topics { get; set; } = [];
}
