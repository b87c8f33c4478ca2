using System.Text.Json;
using Npgsql;
using Streams.Jobs.Model;
using Streams.Testing;

namespace Streams.Jobs.Tests;

/// <summary>
/// Runs executed for real by a host: a <c>glueetl</c> job is the pipeline's backfill over a lake DuckDB wrote, with
/// <c>${name}</c> arguments, bookmarks and retries; conditional triggers chain jobs on their final states.
/// </summary>
public sealed class JobExecutionTests : IAsyncLifetime
{
    private TestLake _lake = null!;
    private TestDatabase _database = null!;
    private JobsHost _host = null!;
    private string _spec = null!;

    public async Task InitializeAsync()
    {
        _lake = await TestLake.CreateAsync(3000);
        _database = await TestPostgres.CreateDatabaseAsync();
        _spec = Path.Combine(_lake.Root, "hourly.yaml");
        await File.WriteAllTextAsync(_spec, ViewComparison.Pipeline("hourly", TestLake.ParquetTable, "enable", "qty >= ${min_qty}"));
        _host = await JobsHost.StartAsync(_database.ConnectionString, _lake.Root);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        _lake.Dispose();
    }

    [Fact]
    public async Task A_glueetl_run_backfills_with_its_arguments_and_bookmarks_and_its_log_is_kept()
    {
        var output = await _host.Boto3Async($$"""
            out = {}
            glue.create_job(Name="hourly", Role="r", Command={"Name": "glueetl", "ScriptLocation": "{{_spec}}"},
                DefaultArguments={"--job-bookmark-option": "job-bookmark-enable", "--watermark": "2026-12-31T00:00:00Z", "--min_qty": "1"})
            first = wait_run("hourly", glue.start_job_run(JobName="hourly", Arguments={"--min_qty": "2"})["JobRunId"])
            out["first"] = {k: first.get(k) for k in ["Id", "JobRunState", "Attempt", "ErrorMessage"]}
            out["first_times"] = [type(first.get("CompletedOn")).__name__, first["ExecutionTime"] >= 0]
            bookmark = glue.get_job_bookmark(JobName="hourly")["JobBookmarkEntry"]
            out["bookmark"] = [bookmark["JobName"], bookmark["Run"], bookmark["RunId"] == first["Id"], len(json.loads(bookmark["JobBookmark"]))]
            second = wait_run("hourly", glue.start_job_run(JobName="hourly", Arguments={"--min_qty": "2"})["JobRunId"])
            out["second"] = [second["JobRunState"], second["Id"]]
            reset = glue.reset_job_bookmark(JobName="hourly")["JobBookmarkEntry"]
            out["reset"] = reset["JobName"]
            try:
                glue.get_job_bookmark(JobName="hourly")
            except glue.exceptions.EntityNotFoundException as e:
                out["after_reset"] = e.response["Error"]["Code"]
            third = wait_run("hourly", glue.start_job_run(JobName="hourly", Arguments={"--min_qty": "2"})["JobRunId"])
            out["third"] = [third["JobRunState"], third["Id"]]
            out["third_id"] = third["Id"]
            print(json.dumps(out))
            """);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var first = root.GetProperty("first");
        first.GetProperty("JobRunState").GetString().Should().Be("SUCCEEDED", first.GetRawText());
        first.GetProperty("Attempt").GetInt32().Should().Be(0);
        // Metrics are a Streams extension of JobRun that botocore's model drops: read them from the store.
        var firstMetrics = (await _host.Store.GetRunAsync("hourly", first.GetProperty("Id").GetString()!)).Metrics!;
        firstMetrics.RecordsIn.Should().Be(3000, "every record of the lake is read");
        firstMetrics.RecordsOut.Should().BeGreaterThan(0);
        root.GetProperty("first_times").GetRawText().Should().Be("""["datetime", true]""");
        var bookmark = root.GetProperty("bookmark");
        bookmark[0].GetString().Should().Be("hourly");
        bookmark[2].GetBoolean().Should().BeTrue("the bookmark names the run that saved it");
        bookmark[3].GetInt32().Should().Be(Directory.GetFiles(Path.Combine(_lake.Root, TestLake.ParquetTable), "*.parquet", SearchOption.AllDirectories).Length);
        root.GetProperty("second")[0].GetString().Should().Be("SUCCEEDED");
        (await _host.Store.GetRunAsync("hourly", root.GetProperty("second")[1].GetString()!)).Metrics!.RecordsIn.Should().Be(0, "nothing changed since the bookmark");
        root.GetProperty("after_reset").GetString().Should().Be("EntityNotFoundException");
        root.GetProperty("third")[0].GetString().Should().Be("SUCCEEDED");
        (await _host.Store.GetRunAsync("hourly", root.GetProperty("third")[1].GetString()!)).Metrics!.RecordsIn.Should().Be(3000, "after the reset every file is read again");

        // ${min_qty} came from the run's Arguments (2), not the job's DefaultArguments (1).
        await using var postgres = NpgsqlDataSource.Create(_database.ConnectionString);
        (await ViewComparison.ViewAsync(postgres, "hourly")).Should().Equal(ViewComparison.Render(await _lake.QueryAsync(ViewComparison.DuckDbSql("qty >= 2"))));

        var log = await _host.Store.GetLogAsync(root.GetProperty("third_id").GetString()!);
        log.Select(l => l.Message).Should().ContainInOrder(
            ["queued by StartJobRun", $"running on host {((JobsOptions)_host.Services.GetService(typeof(JobsOptions))!).HostId}, attempt 0", "backfill of pipeline hourly", "ended SUCCEEDED"]);
        log.Should().Contain(l => l.Message.StartsWith("succeeded (full): ", StringComparison.Ordinal) && l.Message.Contains("3000 records in"));
    }

    [Fact]
    public async Task Two_jobs_on_one_spec_keep_a_bookmark_each_and_a_job_from_before_adopts_its_pipelines_bookmark()
    {
        var script = $$"""
            out = {}
            for name in ["job-a", "job-b", "legacy"]:
                glue.create_job(Name=name, Role="r", Command={"Name": "glueetl", "ScriptLocation": "{{_spec}}"},
                    DefaultArguments={"--job-bookmark-option": "job-bookmark-enable", "--watermark": "2026-12-31T00:00:00Z", "--min_qty": "1"})
            def run(name):
                return wait_run(name, glue.start_job_run(JobName=name)["JobRunId"])["Id"]
            out["a1"] = run("job-a")
            out["b1"] = run("job-b")
            out["a2"] = run("job-a")
            out["bookmarks"] = [glue.get_job_bookmark(JobName=n)["JobBookmarkEntry"]["RunId"] for n in ["job-a", "job-b"]]
            print(json.dumps(out))
            """;
        using var json = JsonDocument.Parse(await _host.Boto3Async(script));
        var root = json.RootElement;
        async Task<long> RecordsInAsync(string job, string run) => (await _host.Store.GetRunAsync(job, root.GetProperty(run).GetString()!)).Metrics!.RecordsIn;
        (await RecordsInAsync("job-a", "a1")).Should().Be(3000);
        (await RecordsInAsync("job-b", "b1")).Should().Be(3000, "job-b has a bookmark of its own, which job-a's run did not fill");
        (await RecordsInAsync("job-a", "a2")).Should().Be(0, "job-a's bookmark covers every file");
        root.GetProperty("bookmarks").EnumerateArray().Select(b => b.GetString()).Should().Equal(root.GetProperty("a2").GetString(), root.GetProperty("b1").GetString());

        // A job from before bookmarks were kept per job: its bookmark was the pipeline's (key "hourly").
        await _host.ScalarAsync("""
            INSERT INTO batch.bookmarks (pipeline, path, size, etag, modified, rows, min_time, max_time, run_id)
            SELECT 'hourly', path, size, etag, modified, rows, min_time, max_time, run_id FROM batch.bookmarks WHERE pipeline = 'job:job-a';
            UPDATE jobs.jobs SET bookmark_adopted = false WHERE name = 'legacy';
            SELECT 0
            """);
        using var legacy = JsonDocument.Parse(await _host.Boto3Async($$"""
            entry = glue.get_job_bookmark(JobName="legacy")["JobBookmarkEntry"]
            run = wait_run("legacy", glue.start_job_run(JobName="legacy")["JobRunId"])
            glue.delete_job(JobName="job-b")
            glue.create_job(Name="job-b", Role="r", Command={"Name": "glueetl", "ScriptLocation": "{{_spec}}"})
            try:
                glue.get_job_bookmark(JobName="job-b")
                recreated = "found"
            except glue.exceptions.EntityNotFoundException as e:
                recreated = e.response["Error"]["Code"]
            print(json.dumps({"files": len(json.loads(entry["JobBookmark"])), "run": run["Id"], "state": run["JobRunState"], "recreated": recreated}))
            """));
        legacy.RootElement.GetProperty("recreated").GetString().Should().Be("EntityNotFoundException", "DeleteJob deletes the job's bookmark");
        legacy.RootElement.GetProperty("state").GetString().Should().Be("SUCCEEDED");
        legacy.RootElement.GetProperty("files").GetInt32().Should().Be(
            Directory.GetFiles(Path.Combine(_lake.Root, TestLake.ParquetTable), "*.parquet", SearchOption.AllDirectories).Length);
        (await _host.Store.GetRunAsync("legacy", legacy.RootElement.GetProperty("run").GetString()!)).Metrics!.RecordsIn
            .Should().Be(0, "the job adopted its pipeline's bookmark");
        (await _host.ScalarAsync("SELECT count(*) FROM batch.bookmarks WHERE pipeline = 'hourly'")).Should().BeGreaterThan(0,
            "streams backfill without a job keeps the pipeline's bookmark");
    }

    [Fact]
    public async Task A_failing_job_with_MaxRetries_2_makes_three_attempts_and_conditional_triggers_fire_once_on_its_final_state()
    {
        var output = await _host.Boto3Async($$"""
            out = {}
            glue.create_job(Name="broken", Role="r", Command={"Name": "glueetl", "ScriptLocation": "{{_spec}}"}, MaxRetries=2)
            glue.create_job(Name="on-failure", Role="r", Command={"Name": "glueetl", "ScriptLocation": "{{_spec}}"},
                DefaultArguments={"--min_qty": "0", "--watermark": "2026-12-31T00:00:00Z"}, ExecutionProperty={"MaxConcurrentRuns": 5})
            glue.create_job(Name="chained", Role="r", Command={"Name": "glueetl", "ScriptLocation": "{{_spec}}"},
                DefaultArguments={"--min_qty": "3", "--watermark": "2026-12-31T00:00:00Z", "--job-bookmark-option": "job-bookmark-disable"},
                ExecutionProperty={"MaxConcurrentRuns": 5})
            glue.create_trigger(Name="when-broken-fails", Type="CONDITIONAL", StartOnCreation=True,
                Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "broken", "State": "FAILED"}]},
                Actions=[{"JobName": "on-failure"}])
            glue.create_trigger(Name="when-broken-succeeds", Type="CONDITIONAL", StartOnCreation=True,
                Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "broken", "State": "SUCCEEDED"}]},
                Actions=[{"JobName": "chained"}])
            glue.create_trigger(Name="after-on-failure", Type="CONDITIONAL", StartOnCreation=True,
                Predicate={"Logical": "ANY", "Conditions": [{"LogicalOperator": "EQUALS", "JobName": "on-failure", "State": "SUCCEEDED"},
                                                             {"LogicalOperator": "EQUALS", "JobName": "broken", "State": "SUCCEEDED"}]},
                Actions=[{"JobName": "chained"}])
            first = glue.start_job_run(JobName="broken")["JobRunId"]
            deadline = time.time() + 90
            while time.time() < deadline:
                chained = glue.get_job_runs(JobName="chained")["JobRuns"]
                if chained and chained[0]["JobRunState"] == "SUCCEEDED":
                    break
                time.sleep(0.3)
            time.sleep(2)
            runs = sorted(glue.get_job_runs(JobName="broken")["JobRuns"], key=lambda r: r["Attempt"])
            out["attempts"] = [[r["Id"], r["Attempt"], r.get("PreviousRunId"), r["JobRunState"]] for r in runs]
            out["error"] = runs[-1]["ErrorMessage"]
            out["first"] = first
            out["on_failure"] = [[r["TriggerName"], r["JobRunState"]] for r in glue.get_job_runs(JobName="on-failure")["JobRuns"]]
            out["chained"] = [[r["TriggerName"], r["JobRunState"]] for r in glue.get_job_runs(JobName="chained")["JobRuns"]]
            print(json.dumps(out))
            """);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var first = root.GetProperty("first").GetString();
        root.GetProperty("attempts").GetRawText().Should().Be(
            $"""[["{first}", 0, null, "FAILED"], ["{first}_attempt_1", 1, "{first}", "FAILED"], ["{first}_attempt_2", 2, "{first}_attempt_1", "FAILED"]]""");
        root.GetProperty("error").GetString().Should().Contain("${min_qty}").And.Contain("--min_qty");
        root.GetProperty("on_failure").GetRawText().Should().Be("""[["when-broken-fails", "SUCCEEDED"]]""", "the trigger fires once, on the final attempt");
        root.GetProperty("chained").GetRawText().Should().Be("""[["after-on-failure", "SUCCEEDED"]]""", "B runs after A's SUCCEEDED; the SUCCEEDED trigger of the broken job never fires");
        await using var postgres = NpgsqlDataSource.Create(_database.ConnectionString);
        (await ViewComparison.ViewAsync(postgres, "hourly")).Should().Equal(ViewComparison.Render(await _lake.QueryAsync(ViewComparison.DuckDbSql("qty >= 3"))),
            "the chained run's ${min_qty} of 3 made the view");
    }
}
