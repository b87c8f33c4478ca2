using System.Reflection;
using Streams.Streaming.Kafka;

namespace Streams.Host;

/// <summary>The versions <c>streams --version</c> and <c>/health</c> report: the host's and the Kafka client's.</summary>
public static class StreamsVersion
{
    /// <summary>The host's informational version (without the source revision suffix).</summary>
    public static string Host { get; } =
        (typeof(StreamsVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];

    /// <summary>The managed Kafka client's version.</summary>
    public static string ConfluentKafka { get; } =
        typeof(Confluent.Kafka.Library).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>The native librdkafka in use (loads it on first use).</summary>
    public static string Librdkafka => LibrdkafkaNative.Version;

    /// <summary>The one-line form: <c>streams 1.0.0 (Confluent.Kafka 2.16.0, librdkafka 2.16.0, .NET 10.0.0)</c>.</summary>
    public static string Line() =>
        $"streams {Host} (Confluent.Kafka {ConfluentKafka}, librdkafka {Librdkafka}, .NET {Environment.Version})";
}
