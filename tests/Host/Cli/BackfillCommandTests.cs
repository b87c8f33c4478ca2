using Npgsql;
using Streams.Batch.Backfills;
using Streams.Catalog.Storage;
using Streams.Pipelines.Specs;
using Streams.Testing;

namespace Streams.Host.Tests.Cli;

/// <summary><c>streams backfill</c> as separate processes: one host alone, and two worker processes sharing one run.</summary>
public sealed class BackfillCommandTests : IAsyncLifetime
{
    private TestLake _lake = null!;
    private TestDatabase _database = null!;
    private string _spec = null!;

    public async Task InitializeAsync()
    {
        _lake = await TestLake.CreateAsync(6000);
        _database = await TestPostgres.CreateDatabaseAsync();
        _spec = Path.Combine(_lake.Root, "hourly.yaml");
        await File.WriteAllTextAsync(_spec, ViewComparison.Pipeline("hourly", TestLake.ParquetTable));
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _lake.Dispose();
    }

    private Task<string> Streams(params string[] args) =>
        ExternalTool.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "streams.dll"), .. args],
            workingDirectory: _lake.Root,
            environment: new Dictionary<string, string>
            {
                ["STREAMS__POSTGRES__CONNECTIONSTRING"] = _database.ConnectionString,
                ["STREAMS__LAKE__ROOT"] = _lake.Root,
                ["COLUMNS"] = "200",
            },
            timeout: TimeSpan.FromSeconds(120));

    [Fact]
    public async Task Backfill_prints_a_summary_table_without_colour_codes_and_the_view_equals_DuckDBs()
    {
        var output = await Streams("backfill", _spec, "--where", "dt >= '2026-11-02'", "--watermark", "2026-12-31T00:00:00Z", "--parallel", "2");

        output.Should().Contain("SUCCEEDED").And.MatchRegex(@"Partitions pruned\s*│\s*1").And.MatchRegex(@"Dead letters\s*│\s*0").And.NotContain("\u001b[");
        await using var postgres = NpgsqlDataSource.Create(_database.ConnectionString);
        (await ViewComparison.ViewAsync(postgres, "hourly")).Should().Equal(
            ViewComparison.Render(await _lake.QueryAsync(ViewComparison.DuckDbSql("dt >= '2026-11-02'"))));

        var dry = await Streams("backfill", _spec, "--dry-run", "--where", "dt = '2026-11-01'");
        dry.Should().Contain("DRY RUN").And.Contain("would read").And.Contain("dt=2026-11-01");
    }

    [Fact]
    public async Task Two_worker_processes_join_one_run_each_split_is_read_once_and_the_totals_are_exact()
    {
        await using var postgres = NpgsqlDataSource.Create(_database.ConnectionString);
        var spec = PipelineSpecLoader.Parse(ViewComparison.Pipeline("hourly", TestLake.ParquetTable), "hourly.yaml");
        var run = await new SharedBackfill(postgres, new LocalLakeStorage(_lake.Root), null, "test")
            .CreateAsync(spec, new BackfillOptions { Watermark = new DateTime(2026, 12, 31, 0, 0, 0, DateTimeKind.Utc) });

        var workers = await Task.WhenAll(
            Streams("backfill", _spec, "--join", run.ToString(), "--parallel", "1", "--watermark", "2026-12-31T00:00:00Z"),
            Streams("backfill", _spec, "--join", run.ToString(), "--parallel", "1", "--watermark", "2026-12-31T00:00:00Z"));

        workers.Should().OnlyContain(w => w.Contains("SUCCEEDED"));
        await using (var splits = postgres.CreateCommand("SELECT count(*) FILTER (WHERE NOT done), sum(rows) FROM batch.splits WHERE run_id = $1"))
        {
            splits.Parameters.Add(new NpgsqlParameter { Value = run });
            await using var reader = await splits.ExecuteReaderAsync();
            await reader.ReadAsync();
            reader.GetInt64(0).Should().Be(0);
            reader.GetDecimal(1).Should().Be(6000);
        }

        (await ViewComparison.ViewAsync(postgres, "hourly")).Should().Equal(ViewComparison.Render(await _lake.QueryAsync(ViewComparison.DuckDbSql())));
    }
}
