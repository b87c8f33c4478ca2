using System.Diagnostics;
using Npgsql;
using Streams.Catalog.Storage;
using Streams.Host.Configuration;
using Streams.Registry;
using Streams.Streaming.Kafka;

namespace Streams.Host.Api.Health;

/// <summary>
/// Probes the host's dependencies side by side, each under a deadline: PostgreSQL (<c>SELECT 1</c>), Kafka (the
/// cluster metadata), the registry store (its global mode, in its own tables) and the lake (a listing under its root).
/// </summary>
internal sealed class HealthChecker(StreamsOptions options, SchemaRegistry registry, TopicManager topics, LakeStorageProvider lake)
    : IAsyncDisposable
{
    /// <summary>How long a dependency may take to answer before it counts as down.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    private readonly NpgsqlDataSource _postgres = NpgsqlDataSource.Create(options.Postgres.ConnectionString);

    /// <summary>Every dependency's state, in a fixed order.</summary>
    public Task<DependencyHealth[]> CheckAsync(CancellationToken cancellationToken) => Task.WhenAll(
        ProbeAsync("postgres", async ct =>
        {
            await using var command = _postgres.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(ct);
        }, cancellationToken),
        // The admin client's metadata call blocks, with its own longer time-out: off the request thread.
        ProbeAsync("kafka", ct => Task.Run(() => topics.List(includeInternal: true), ct), cancellationToken),
        ProbeAsync("registry", ct => registry.GetModeAsync(null, cancellationToken: ct), cancellationToken),
        ProbeAsync("lake", ProbeLakeAsync, cancellationToken));

    private async Task ProbeLakeAsync(CancellationToken cancellationToken)
    {
        var root = options.Lake.Root;
        if (!root.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The lake root {root} does not exist.");
        }

        await lake.Storage.ListAsync($"{root.TrimEnd('/')}/_streams_health", pageSize: 1, cancellationToken: cancellationToken);
    }

    private static async Task<DependencyHealth> ProbeAsync(string name, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        var watch = Stopwatch.StartNew();
        try
        {
            await probe(deadline.Token).WaitAsync(deadline.Token);
            return new DependencyHealth(name, DependencyHealth.Up, Math.Round(watch.Elapsed.TotalMilliseconds, 1));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var error = e is OperationCanceledException ? $"no answer within {Deadline.TotalSeconds:0} s" : e.Message;
            return new DependencyHealth(name, DependencyHealth.Down, Math.Round(watch.Elapsed.TotalMilliseconds, 1), error);
        }
    }

    public ValueTask DisposeAsync() => _postgres.DisposeAsync();
}
