using System.Text.Json;
using Streams.Testing;

namespace Streams.Jobs.Tests;

/// <summary>
/// EVENT triggers over new lake files, on two hosts sharing one database: a batch fires once, when BatchSize new files
/// have arrived or BatchWindow seconds passed since the first, and its run gets the files. Files there before the
/// trigger was activated are no events.
/// </summary>
public sealed class EventTriggerTests : IAsyncLifetime
{
    private TestLake _lake = null!;
    private TestDatabase _database = null!;
    private JobsHost _first = null!;
    private JobsHost _second = null!;
    private string _spec = null!;

    public async Task InitializeAsync()
    {
        _lake = await TestLake.CreateAsync(3000);
        _database = await TestPostgres.CreateDatabaseAsync();
        _spec = Path.Combine(_lake.Root, "hourly.yaml");
        await File.WriteAllTextAsync(_spec, ViewComparison.Pipeline("hourly", TestLake.ParquetTable, "enable"));
        _first = await JobsHost.StartAsync(_database.ConnectionString, _lake.Root);
        _second = await JobsHost.StartAsync(_database.ConnectionString, _lake.Root);
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _database.DisposeAsync();
        _lake.Dispose();
    }

    [Fact]
    public async Task An_EVENT_trigger_fires_once_per_batch_of_new_files_by_size_or_window_and_passes_the_files_to_the_run()
    {
        using var created = JsonDocument.Parse(await _first.Boto3Async($$"""
            out = {}
            glue.create_job(Name="ingest", Role="r", Command={"Name": "glueetl", "ScriptLocation": "{{_spec}}"},
                DefaultArguments={"--job-bookmark-option": "job-bookmark-enable", "--watermark": "2026-12-31T00:00:00Z"},
                ExecutionProperty={"MaxConcurrentRuns": 5})
            glue.create_job(Name="stream", Role="r", Command={"Name": "gluestreaming", "ScriptLocation": "{{_spec}}"})
            def error(**kwargs):
                try:
                    glue.create_trigger(Type="EVENT", **kwargs)
                    return "created"
                except glue.exceptions.InvalidInputException as e:
                    return e.response["Error"]["Code"]
            out["errors"] = [error(Name="x1", Actions=[{"JobName": "ingest"}]),
                             error(Name="x2", Actions=[{"JobName": "ingest"}], EventBatchingCondition={"BatchSize": 101}),
                             error(Name="x3", Actions=[{"JobName": "ingest"}], EventBatchingCondition={"BatchSize": 2, "BatchWindow": 901}),
                             error(Name="x4", Actions=[{"JobName": "stream"}], EventBatchingCondition={"BatchSize": 2})]
            glue.create_trigger(Name="on-files", Type="EVENT", StartOnCreation=True, Actions=[{"JobName": "ingest"}],
                EventBatchingCondition={"BatchSize": 2, "BatchWindow": 900})
            out["trigger"] = glue.get_trigger(Name="on-files")["Trigger"]["EventBatchingCondition"]
            print(json.dumps(out))
            """));
        created.RootElement.GetProperty("errors").GetRawText().Should().Be(
            """["InvalidInputException", "InvalidInputException", "InvalidInputException", "InvalidInputException"]""");
        created.RootElement.GetProperty("trigger").GetRawText().Should().Be("""{"BatchSize": 2, "BatchWindow": 900}""");

        // The lake's files predate the trigger: no event. One new file is below the batch size (and the window is 15 minutes).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var (a, aRows) = await NewFileAsync("a");
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await RunsAsync()).Should().BeEmpty("one file of a batch of two has arrived");

        var (b, bRows) = await NewFileAsync("b");
        var first = await WaitForRunsAsync(1);
        first[0].GetProperty("TriggerName").GetString().Should().Be("on-files");
        EventFiles(first[0]).Should().Equal(a, b);
        (await _first.Store.GetRunAsync("ingest", first[0].GetProperty("Id").GetString()!)).Metrics!.RecordsIn
            .Should().Be(3000 + aRows + bRows, "the job's first run has no bookmark yet: it reads every file");

        // A 2-second window: one file fires alone once the window has passed since it was seen.
        await _first.Boto3Async("""glue.update_trigger(Name="on-files", TriggerUpdate={"EventBatchingCondition": {"BatchSize": 2, "BatchWindow": 2}})""");
        var written = DateTime.UtcNow;
        var (c, _) = await NewFileAsync("c");
        var second = await WaitForRunsAsync(2);
        (DateTime.UtcNow - written).Should().BeGreaterThan(TimeSpan.FromSeconds(1.9), "the window, not the size, fired it");
        EventFiles(second[0]).Should().Equal(c);

        await Task.Delay(TimeSpan.FromSeconds(2));
        (await RunsAsync()).Should().HaveCount(2, "each batch fires once though two hosts watch it");
        (await _first.ScalarAsync("SELECT count(*) FROM jobs.event_files WHERE fired_key IS NULL")).Should().Be(0);
    }

    /// <summary>Writes a new Parquet file (a copy of one of the lake's) into a partition; returns its path and row count.</summary>
    private async Task<(string Path, long Rows)> NewFileAsync(string name)
    {
        var source = Directory.GetFiles(Path.Combine(_lake.Root, TestLake.ParquetTable), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var target = Path.Combine(Path.GetDirectoryName(source)!, $"event-{name}.parquet");
        await File.WriteAllBytesAsync(target, await File.ReadAllBytesAsync(source));
        var rows = (await DuckDb.QueryAsync($"SELECT count(*) AS n FROM read_parquet({DuckDb.Literal(target)})"))[0]!["n"]!.ToString();
        return (target, long.Parse(rows, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static List<string> EventFiles(JsonElement run) =>
        JsonSerializer.Deserialize<List<string>>(run.GetProperty("Arguments").GetProperty("--event-files").GetString()!)!;

    private async Task<List<JsonElement>> RunsAsync() =>
        [.. (await _second.GlueAsync("GetJobRuns", """{"JobName": "ingest"}""")).GetProperty("JobRuns").EnumerateArray()];

    private async Task<List<JsonElement>> WaitForRunsAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var runs = await RunsAsync();
            if (runs.Count >= count && runs.All(r => r.GetProperty("JobRunState").GetString() == "SUCCEEDED"))
            {
                return runs;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"{count} run(s) should have succeeded: {string.Join(", ", runs.Select(r => r.GetRawText()))}");
            await Task.Delay(200);
        }
    }
}
