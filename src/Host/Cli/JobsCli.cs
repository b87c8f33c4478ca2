using Npgsql;
using Streams.Catalog;
using Streams.Catalog.Storage;
using Streams.Host.Configuration;
using Streams.Jobs;
using Streams.Jobs.Runs;
using Streams.Jobs.Scheduling;
using Streams.Jobs.Store;

namespace Streams.Host.Cli;

/// <summary>
/// What the jobs, triggers and workflows commands share: the job store of the configured PostgreSQL. Runs they start are
/// queued there and executed by whichever running host (<c>streams dev</c>, <c>streams serve</c>) claims them.
/// </summary>
internal sealed class JobsCli : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private JobsCli(NpgsqlDataSource dataSource, JobStore store, JobScheduler scheduler)
    {
        _dataSource = dataSource;
        Store = store;
        Scheduler = scheduler;
        Graphs = new WorkflowGraphs(store);
    }

    public JobStore Store { get; }

    /// <summary>Fires ON_DEMAND triggers and starts workflow runs (their job runs go to the hosts; crawler actions need a host's API).</summary>
    public JobScheduler Scheduler { get; }

    public WorkflowGraphs Graphs { get; }

    public static async Task<JobsCli> OpenAsync(CancellationToken cancellationToken)
    {
        var options = StreamsConfiguration.LoadOptions();
        var dataSource = NpgsqlDataSource.Create(PostgresConnection.Require(options));
        var store = new JobStore(dataSource);
        await store.MigrateAsync(cancellationToken);
        var jobs = new JobsOptions { HostId = $"cli:{Environment.MachineName}:{Environment.ProcessId}" };
        // Never started: it only names this process in the firings it records.
        var runner = new JobRunner(store, new JobEnvironment { Postgres = dataSource, Lake = new LakeStorageProvider(options.Lake) }, jobs);
        return new JobsCli(dataSource, store, new JobScheduler(store, runner, jobs));
    }

    /// <summary>Runs <paramref name="action"/>, which returns the exit code; errors print their message and exit 1.</summary>
    public static async Task<int> RunAsync(Func<JobsCli, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using var cli = await OpenAsync(cancellationToken);
            return await action(cli);
        }
        catch (Exception e) when (e is CatalogException or InvalidOperationException or NpgsqlException or ArgumentException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    /// <summary>Parses <c>key=value</c> options into Glue arguments (<c>--key</c>), as <c>streams jobs start --arg</c> takes them.</summary>
    public static Dictionary<string, string> Pairs(IEnumerable<string>? pairs, string prefix)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at < 1)
            {
                throw new ArgumentException($"'{pair}' is not key=value.");
            }

            var key = pair[..at];
            result[key.StartsWith(prefix, StringComparison.Ordinal) ? key : prefix + key] = pair[(at + 1)..];
        }

        return result;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
