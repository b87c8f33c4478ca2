using Streams.Jobs.Model;
using Streams.Testing;

namespace Streams.Jobs.Tests;

/// <summary>
/// The scheduler in several hosts on one database: every firing of a SCHEDULED trigger runs once, whichever host sees it;
/// runs queued by one host are executed by another, and survive the host that queued them.
/// </summary>
public sealed class SchedulerTests : IAsyncLifetime
{
    private TestLake _lake = null!;
    private TestDatabase _database = null!;
    private string _spec = null!;

    public async Task InitializeAsync()
    {
        _lake = await TestLake.CreateAsync(200);
        _database = await TestPostgres.CreateDatabaseAsync();
        _spec = Path.Combine(_lake.Root, "hourly.yaml");
        await File.WriteAllTextAsync(_spec, ViewComparison.Pipeline("hourly", TestLake.ParquetTable));
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _lake.Dispose();
    }

    private string CreateJob(string name) => $$"""
        glue.create_job(Name="{{name}}", Role="r", Command={"Name": "glueetl", "ScriptLocation": "{{_spec}}"}, ExecutionProperty={"MaxConcurrentRuns": 10})
        """;

    [Fact]
    public async Task A_per_minute_trigger_over_three_minutes_on_two_hosts_runs_exactly_three_times()
    {
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 30, TimeSpan.Zero).AddMinutes(1);
        var clock = new ManualClock(start);
        await using var first = await JobsHost.StartAsync(_database.ConnectionString, _lake.Root, clock: clock, hostId: "host-a");
        await using var second = await JobsHost.StartAsync(_database.ConnectionString, _lake.Root, clock: clock, hostId: "host-b");
        await first.Boto3Async(CreateJob("tick") + """

            glue.create_trigger(Name="every-minute", Type="SCHEDULED", Schedule="cron(* * * * ? *)", Actions=[{"JobName": "tick"}], StartOnCreation=True)
            """);

        for (var minute = 1; minute <= 3; minute++)
        {
            clock.Set(start.AddMinutes(minute));
            // Both schedulers tick several times at this time: the firing table lets one of them start the run.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }

        var runs = await WaitForRunsAsync(first, "tick", 3);
        runs.Should().HaveCount(3).And.OnlyContain(r => r.TriggerName == "every-minute");
        (await first.ScalarAsync("SELECT count(*) FROM jobs.firings WHERE trigger_name = 'every-minute'")).Should().Be(3);
        (await first.ScalarAsync($"""
            SELECT count(*) FROM jobs.firings WHERE trigger_name = 'every-minute'
            AND fire_key IN ('{Key(start.AddMinutes(0.5))}', '{Key(start.AddMinutes(1.5))}', '{Key(start.AddMinutes(2.5))}')
            """)).Should().Be(3, "one firing per cron time, each at a whole minute");

        // Time stands still: no more firings.
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await first.Store.GetRunsAsync("tick", 0, 100)).Items.Should().HaveCount(3);

        // A stopped trigger fires no more, on either host.
        await first.Boto3Async("""glue.stop_trigger(Name="every-minute")""");
        clock.Set(start.AddMinutes(5));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        (await first.Store.GetRunsAsync("tick", 0, 100)).Items.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_per_minute_trigger_fires_in_real_time()
    {
        await using var host = await JobsHost.StartAsync(_database.ConnectionString, _lake.Root);
        await host.Boto3Async(CreateJob("realtime") + """

            glue.create_trigger(Name="real-minute", Type="SCHEDULED", Schedule="cron(* * * * ? *)", Actions=[{"JobName": "realtime"}], StartOnCreation=True)
            """);
        var runs = await WaitForRunsAsync(host, "realtime", 1, TimeSpan.FromSeconds(75));
        runs.Should().ContainSingle().Which.TriggerName.Should().Be("real-minute");
        runs[0].StartedOn!.Value.Second.Should().BeLessThan(10, "the run is queued at the whole minute");
    }

    [Fact]
    public async Task A_run_queued_on_a_host_that_stops_is_executed_by_the_next_host_and_keeps_its_log()
    {
        string runId;
        await using (var apiOnly = await JobsHost.StartAsync(_database.ConnectionString, _lake.Root, run: false))
        {
            runId = (await apiOnly.Boto3Async(CreateJob("later") + """

                print(glue.start_job_run(JobName="later")["JobRunId"])
                """)).Trim();
            (await apiOnly.Store.GetRunAsync("later", runId)).JobRunState.Should().Be(JobRunStates.Starting);
        }

        await using var runner = await JobsHost.StartAsync(_database.ConnectionString, _lake.Root, hostId: "host-next");
        var run = (await WaitForRunsAsync(runner, "later", 1, final: true)).Single();
        run.Id.Should().Be(runId);
        run.JobRunState.Should().Be(JobRunStates.Succeeded);
        (await runner.Store.GetLogAsync(runId)).Select(l => l.Message).Should().StartWith(["queued by StartJobRun", "running on host host-next, attempt 0"]);
    }

    private static string Key(DateTimeOffset time) =>
        new DateTime(time.Year, time.Month, time.Day, time.Hour, time.Minute, 0, DateTimeKind.Utc).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<IReadOnlyList<JobRun>> WaitForRunsAsync(JobsHost host, string job, int count, TimeSpan? timeout = null, bool final = false)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var runs = (await host.Store.GetRunsAsync(job, 0, 100)).Items;
            if ((runs.Count >= count && (!final || runs.All(r => JobRunStates.IsFinal(r.JobRunState)))) || DateTime.UtcNow > deadline)
            {
                return runs;
            }

            await Task.Delay(200);
        }
    }
}
