using Npgsql;
using Streams.Catalog.Storage;
using Streams.Jobs;
using Streams.Jobs.Model;
using Streams.Jobs.Runs;
using Streams.Jobs.Store;
using Streams.Testing;

namespace Streams.Host.Tests.Cli;

/// <summary>
/// <c>streams jobs|triggers|workflows</c> as separate processes over one database, while a job runner (the one every
/// host runs) executes the runs they queue.
/// </summary>
public sealed class JobsCommandTests : IAsyncLifetime
{
    private TestLake _lake = null!;
    private TestDatabase _database = null!;
    private NpgsqlDataSource _postgres = null!;
    private JobStore _store = null!;
    private readonly CancellationTokenSource _stop = new();
    private Task _runner = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _lake = await TestLake.CreateAsync(500);
        _database = await TestPostgres.CreateDatabaseAsync();
        _postgres = NpgsqlDataSource.Create(_database.ConnectionString);
        var spec = Path.Combine(_lake.Root, "hourly.yaml");
        await File.WriteAllTextAsync(spec, ViewComparison.Pipeline("hourly", TestLake.ParquetTable, filter: "qty >= ${min_qty}"));
        _store = new JobStore(_postgres);
        await _store.MigrateAsync();
        await _store.CreateJobAsync(new Job
        {
            Name = "hourly", Command = new JobCommand(JobCommands.Etl, spec), DefaultArguments = new() { ["--min_qty"] = "0" },
        });
        await _store.CreateTriggerAsync(new Trigger
        {
            Name = "nightly", Type = TriggerTypes.Scheduled, Schedule = "cron(0 2 * * ? *)", Actions = [new TriggerAction { JobName = "hourly" }],
        }, activate: true);
        var runner = new JobRunner(_store, new JobEnvironment { Postgres = _postgres, Lake = new LakeStorageProvider(new LocalLakeStorage(_lake.Root)) },
            new JobsOptions { PollInterval = TimeSpan.FromMilliseconds(200), HostId = "test-host" });
        _runner = runner.RunAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _runner;
        await _postgres.DisposeAsync();
        await _database.DisposeAsync();
        _lake.Dispose();
    }

    private Task<ToolResult> Streams(params string[] args) =>
        ExternalTool.RunUncheckedAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "streams.dll"), .. args],
            workingDirectory: _lake.Root,
            environment: new Dictionary<string, string>
            {
                ["STREAMS__POSTGRES__CONNECTIONSTRING"] = _database.ConnectionString,
                ["STREAMS__LAKE__ROOT"] = _lake.Root,
                ["COLUMNS"] = "240",
            },
            timeout: TimeSpan.FromSeconds(120));

    [Fact]
    public async Task Jobs_start_waits_for_the_run_and_runs_logs_list_and_triggers_show_it_in_plain_tables()
    {
        var started = await Streams("jobs", "start", "hourly", "--arg", "min_qty=2", "--wait");
        started.Exit.Should().Be(0, started.Err);
        var runId = started.Out.Split('\n')[0].Trim();
        runId.Should().StartWith("jr_");
        started.Out.Should().Contain("SUCCEEDED").And.Contain("500").And.NotContain("\u001b[");
        started.Err.Should().Contain("running on host test-host").And.Contain("ended SUCCEEDED");
        (await _store.GetRunAsync("hourly", runId)).Arguments.Should().Equal(new Dictionary<string, string> { ["--min_qty"] = "2" });

        var runs = await Streams("jobs", "runs", "hourly");
        runs.Exit.Should().Be(0);
        runs.Out.Should().Contain(runId[..12]).And.Contain("SUCCEEDED").And.Contain("500/").And.NotContain("\u001b[");

        var logs = await Streams("jobs", "logs", "hourly", runId[..12]);
        logs.Out.Should().Contain("queued by StartJobRun").And.Contain("backfill of pipeline hourly").And.Contain("500 records in");

        var list = await Streams("jobs", "list");
        list.Out.Should().Contain("hourly").And.Contain("glueetl").And.Contain("SUCCEEDED");
        (await Streams("jobs", "show", "hourly")).Out.Should().Contain("argument --min_qty").And.Contain("glueetl");

        var triggers = await Streams("triggers", "list");
        triggers.Out.Should().Contain("nightly").And.Contain("SCHEDULED").And.Contain("ACTIVATED").And.Contain("cron(0 2 * * ? *)");
        (await Streams("triggers", "stop", "nightly")).Out.Should().Contain("DEACTIVATED");
        (await _store.GetTriggerAsync("nightly")).State.Should().Be(TriggerStates.Deactivated);

        var missing = await Streams("jobs", "start", "nope");
        missing.Exit.Should().Be(1);
        missing.Err.Should().Contain("Job nope not found");
        (await Streams("workflows", "start", "nope")).Err.Should().Contain("Workflow nope not found");
    }

    [Fact]
    public async Task A_failed_run_makes_jobs_start_wait_exit_1_with_the_reason()
    {
        var failed = await Streams("jobs", "start", "hourly", "--arg", "min_qty=", "--wait");
        failed.Exit.Should().Be(1);
        failed.Out.Should().Contain("FAILED");
        failed.Err.Should().Contain("ended FAILED");
    }
}
