using System.Text.Json;
using Npgsql;
using Streams.Testing;

namespace Streams.Jobs.Tests;

/// <summary>A workflow runs its graph: an ON_DEMAND trigger starts a crawler, the crawled table feeds a batch job, which chains another.</summary>
public sealed class WorkflowTests : IAsyncLifetime
{
    private TestLake _lake = null!;
    private TestDatabase _database = null!;
    private JobsHost _host = null!;
    private string _spec = null!;

    public async Task InitializeAsync()
    {
        _lake = await TestLake.CreateAsync(1000);
        _database = await TestPostgres.CreateDatabaseAsync();
        _spec = Path.Combine(_lake.Root, "hourly.yaml");
        // The batch source is the catalog table the crawler makes, not the folder.
        await File.WriteAllTextAsync(_spec, ViewComparison.Pipeline("hourly", TestLake.ParquetTable).Replace(
            $"path: {TestLake.ParquetTable}", $"table: lake.{TestLake.ParquetTable}", StringComparison.Ordinal));
        _host = await JobsHost.StartAsync(_database.ConnectionString, _lake.Root);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        _lake.Dispose();
    }

    [Fact]
    public async Task Crawler_then_batch_job_then_a_second_job_run_as_one_workflow_run()
    {
        var output = await _host.Boto3Async($$"""
            out = {}
            glue.create_database(DatabaseInput={"Name": "lake"})
            glue.create_crawler(Name="orders", Role="r", DatabaseName="lake", Targets={"S3Targets": [{"Path": "{{Path.Combine(_lake.Root, TestLake.ParquetTable)}}"}]})
            glue.create_job(Name="load", Role="r", Command={"Name": "glueetl", "ScriptLocation": "{{_spec}}"}, DefaultArguments={"--watermark": "2026-12-31T00:00:00Z"})
            glue.create_job(Name="reload", Role="r", Command={"Name": "glueetl", "ScriptLocation": "{{_spec}}"}, DefaultArguments={"--watermark": "2026-12-31T00:00:00Z"})
            glue.create_workflow(Name="nightly", DefaultRunProperties={"source": "lake"})
            glue.create_trigger(Name="start", WorkflowName="nightly", Type="ON_DEMAND", Actions=[{"CrawlerName": "orders"}])
            glue.create_trigger(Name="crawled", WorkflowName="nightly", Type="CONDITIONAL", StartOnCreation=True,
                Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "CrawlerName": "orders", "CrawlState": "SUCCEEDED"}]}, Actions=[{"JobName": "load"}])
            glue.create_trigger(Name="loaded", WorkflowName="nightly", Type="CONDITIONAL", StartOnCreation=True,
                Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "load", "State": "SUCCEEDED"}]}, Actions=[{"JobName": "reload"}])
            run_id = glue.start_workflow_run(Name="nightly")["RunId"]
            deadline = time.time() + 90
            while time.time() < deadline:
                run = glue.get_workflow_run(Name="nightly", RunId=run_id, IncludeGraph=True)["Run"]
                if run["Status"] != "RUNNING":
                    break
                time.sleep(0.3)
            out["status"] = run["Status"]
            out["completed"] = type(run.get("CompletedOn")).__name__
            out["statistics"] = [run["Statistics"]["TotalActions"], run["Statistics"]["SucceededActions"], run["Statistics"]["RunningActions"]]
            nodes = {n["UniqueId"]: n for n in run["Graph"]["Nodes"]}
            out["crawls"] = [c["State"] for c in nodes["crawler:orders"]["CrawlerDetails"]["Crawls"]]
            out["load_runs"] = [[r["TriggerName"], r["JobRunState"]] for r in nodes["job:load"]["JobDetails"]["JobRuns"]]
            out["reload_runs"] = [[r["TriggerName"], r["JobRunState"]] for r in nodes["job:reload"]["JobDetails"]["JobRuns"]]
            out["edges"] = sorted(e["SourceId"] + ">" + e["DestinationId"] for e in run["Graph"]["Edges"])
            out["last_run"] = glue.get_workflow(Name="nightly")["Workflow"]["LastRun"]["WorkflowRunId"] == run_id
            out["table"] = glue.get_table(DatabaseName="lake", Name="{{TestLake.ParquetTable}}")["Table"]["Name"]
            print(json.dumps(out))
            """);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("status").GetString().Should().Be("COMPLETED", output);
        root.GetProperty("completed").GetString().Should().Be("datetime");
        root.GetProperty("statistics").GetRawText().Should().Be("[2, 2, 0]");
        root.GetProperty("crawls").GetRawText().Should().Be("""["SUCCEEDED"]""");
        root.GetProperty("load_runs").GetRawText().Should().Be("""[["crawled", "SUCCEEDED"]]""");
        root.GetProperty("reload_runs").GetRawText().Should().Be("""[["loaded", "SUCCEEDED"]]""");
        root.GetProperty("edges").EnumerateArray().Select(e => e.GetString()).Should().Equal(
            "crawler:orders>trigger:crawled", "job:load>trigger:loaded", "trigger:crawled>job:load", "trigger:loaded>job:reload", "trigger:start>crawler:orders");
        root.GetProperty("last_run").GetBoolean().Should().BeTrue();
        await using var postgres = NpgsqlDataSource.Create(_database.ConnectionString);
        (await ViewComparison.ViewAsync(postgres, "hourly")).Should().Equal(ViewComparison.Render(await _lake.QueryAsync(ViewComparison.DuckDbSql())),
            "the job read the table the crawler catalogued");
    }
}
