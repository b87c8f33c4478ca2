using Streams.Streaming.Kafka;

namespace Streams.Streaming.Tests.Kafka;

public sealed class LibrdkafkaNativeTests
{
    [Fact]
    public void Confluent_kafka_runs_on_the_bundled_librdkafka_not_a_system_one()
    {
        LibrdkafkaNative.Version.Should().Be("2.16.0");
        LibrdkafkaNative.Path.Should().EndWith("/runtimes/linux-x64/native/centos8-librdkafka.so");
        // The process maps exactly the bundled file: a system librdkafka (Debian's 2.0.2) stays unloaded.
        var mapped = File.ReadAllLines("/proc/self/maps")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && f[5].Contains("librdkafka", StringComparison.Ordinal))
            .Select(f => f[5])
            .Distinct()
            .ToList();
        mapped.Should().Equal(LibrdkafkaNative.Path);
    }
}
