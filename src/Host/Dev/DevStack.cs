using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Streams.Host.Api;
using Streams.Host.Configuration;
using Streams.Streaming.Kafka;

namespace Streams.Host.Dev;

/// <summary>
/// The embedded default behind <c>streams dev</c>: a Kafka-protocol broker, a PostgreSQL cluster,
/// a lake directory and the HTTP API, in one process. Each piece that the configuration names
/// (external Kafka, PostgreSQL or an S3 lake) is used instead of starting the embedded one.
/// </summary>
public sealed class DevStack : IAsyncDisposable
{
    private MockKafkaCluster? _kafka;
    private EmbeddedPostgres? _postgres;
    private WebApplication? _api;

    private DevStack(StreamsOptions options)
    {
        Options = options;
    }

    /// <summary>The effective options: configured values, with the embedded pieces' addresses filled in.</summary>
    public StreamsOptions Options { get; }

    /// <summary>The API's base URL, with the port Kestrel actually bound.</summary>
    public string ApiUrl { get; private set; } = "";

    /// <summary>Starts every piece; on failure, stops those already started.</summary>
    public static async Task<DevStack> StartAsync(StreamsOptions options, DevStackSettings settings,
        CancellationToken cancellationToken)
    {
        var stack = new DevStack(options);
        try
        {
            await stack.StartPiecesAsync(settings, cancellationToken);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartPiecesAsync(DevStackSettings settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.StateDirectory);
        if (string.IsNullOrWhiteSpace(Options.Kafka.BootstrapServers))
        {
            _kafka = MockKafkaCluster.Start(settings.Brokers);
            Options.Kafka.BootstrapServers = _kafka.BootstrapServers;
        }

        if (string.IsNullOrWhiteSpace(Options.Postgres.ConnectionString))
        {
            _postgres = await EmbeddedPostgres.StartAsync(Path.Combine(settings.StateDirectory, "postgres"), cancellationToken);
            Options.Postgres.ConnectionString = _postgres.ConnectionString;
        }

        if (string.IsNullOrWhiteSpace(Options.Lake.Root))
        {
            Options.Lake.Root = Path.GetFullPath(Path.Combine(settings.StateDirectory, "lake"));
        }

        if (!Options.Lake.Root.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            Directory.CreateDirectory(Options.Lake.Root);
        }

        if (settings.ApiPort is { } port)
        {
            Options.Api.Url = $"http://127.0.0.1:{port}";
        }

        _api = ApiHost.Build(Options, embeddedKafka: _kafka);
        await _api.StartAsync(cancellationToken);
        ApiUrl = _api.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
    }

    /// <summary>Stops the API, then PostgreSQL, then the broker.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.StopAsync();
            await _api.DisposeAsync();
            _api = null;
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
            _postgres = null;
        }

        _kafka?.Dispose();
        _kafka = null;
    }
}

/// <summary>Command-line settings of the dev stack.</summary>
/// <param name="StateDirectory">Where the embedded PostgreSQL data and the local lake live.</param>
/// <param name="Brokers">How many mock brokers to start.</param>
/// <param name="ApiPort">The API port; <c>null</c> keeps the configured URL, 0 picks a free port.</param>
public sealed record DevStackSettings(string StateDirectory, int Brokers, int? ApiPort);
