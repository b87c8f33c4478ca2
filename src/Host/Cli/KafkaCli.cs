using System.CommandLine;
using Streams.Host.Configuration;
using Streams.Registry.Client;
using Streams.Streaming.Kafka;

namespace Streams.Host.Cli;

/// <summary>What <c>streams produce</c> and <c>streams consume</c> share: the configured Kafka and registry.</summary>
internal static class KafkaCli
{
    /// <summary>The <c>--registry</c> option: the registry URL, by default the configured one (a running dev stack publishes it).</summary>
    public static Option<string> RegistryOption() => new("--registry")
    {
        Description = $"The schema registry's base URL (default: {RegistryCommand.UrlKey}, else {RegistryCommand.DefaultUrl}).",
        DefaultValueFactory = _ => RegistryCommand.ConfiguredUrl(),
    };

    /// <summary>The Kafka clients of the configuration, or a message naming the setting.</summary>
    /// <exception cref="ArgumentException">No bootstrap servers are configured.</exception>
    public static KafkaClientFactory Clients() => new(StreamsConfiguration.LoadOptions().Kafka);

    /// <summary>A registry client for <paramref name="url"/>.</summary>
    public static CachedSchemaRegistryClient Registry(string url) => new(url);

    /// <summary>Cancels on Ctrl-C or SIGTERM (so that a summary still prints) and on <paramref name="outer"/>.</summary>
    public static CancellationTokenSource StopOnSignal(CancellationToken outer, out IDisposable registrations)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        registrations = new Registrations(sigint, sigterm);
        return stop;
    }

    private sealed class Registrations(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
