using Npgsql;
using Streams.Testing;

namespace Streams.Jobs.Tests;

/// <summary><c>examples/glue_job.py</c>, the first boto3 script of a Glue user, run as written against a host.</summary>
public sealed class ExampleScriptTests : IAsyncLifetime
{
    private TestLake _lake = null!;
    private TestDatabase _database = null!;
    private JobsHost _host = null!;

    public async Task InitializeAsync()
    {
        _lake = await TestLake.CreateAsync(1000);
        _database = await TestPostgres.CreateDatabaseAsync();
        _host = await JobsHost.StartAsync(_database.ConnectionString, _lake.Root);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        _lake.Dispose();
    }

    [Fact]
    public async Task The_example_crawls_creates_a_bookmarked_glueetl_job_and_runs_it()
    {
        var spec = Path.Combine(_lake.Root, "hourly.yaml");
        await File.WriteAllTextAsync(spec, ViewComparison.Pipeline("hourly", TestLake.ParquetTable, "enable", "qty >= ${min_qty}"));

        var output = await ExternalTool.RunAsync(ExternalTool.Python,
            [Path.Combine(ExternalTool.RepositoryRoot, "examples", "glue_job.py"), "--endpoint-url", _host.Url,
             "--lake-path", Path.Combine(_lake.Root, TestLake.ParquetTable), "--script", spec, "--argument=--min_qty=1",
             "--argument=--watermark=2026-12-31T00:00:00Z"],
            timeout: TimeSpan.FromSeconds(120));

        output.Should().Contain("crawl: SUCCEEDED; tables: ['orders_parquet']").And.MatchRegex(@"job run jr_[0-9a-f]{64}: SUCCEEDED in \d+ s")
            .And.Contain("bookmark: run 1, ");
        await using var postgres = NpgsqlDataSource.Create(_database.ConnectionString);
        (await ViewComparison.ViewAsync(postgres, "hourly")).Should().Equal(ViewComparison.Render(await _lake.QueryAsync(ViewComparison.DuckDbSql("qty >= 1"))));
    }
}
