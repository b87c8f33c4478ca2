using Streams.Batch.Backfills;
using Streams.Catalog.Storage;
using Streams.Pipelines.Specs;
using Streams.Testing;

namespace Streams.Batch.Tests;

/// <summary>Full backfills into the serving layer, checked against DuckDB's own SQL over the same files.</summary>
public sealed class BackfillTests : BackfillTestBase
{
    private Task<BackfillSummary> BackfillAsync(string yaml, BackfillOptions? options = null) =>
        new BackfillRunner(Postgres, new LocalLakeStorage(Lake.Root))
            .RunAsync(PipelineSpecLoader.Parse(yaml, "p.yaml"), (options ?? new BackfillOptions()) with { Watermark = Watermark, Parallelism = 2, SplitBytes = 16 << 10 });

    [Theory]
    [InlineData(TestLake.ParquetTable)]
    [InlineData(TestLake.AvroTable)]
    public async Task The_merged_view_after_a_full_backfill_equals_DuckDBs_aggregation_over_the_same_files(string table)
    {
        var summary = await BackfillAsync(ViewComparison.Pipeline("hourly", table));

        summary.Status.Should().Be(BackfillStatus.Succeeded);
        summary.Mode.Should().Be(BackfillMode.Full);
        summary.RowsRead.Should().Be(6000);
        summary.DeadLetters.Should().Be(0);
        summary.Generation.Should().Be(1);
        var expected = ViewComparison.Render(await Lake.QueryAsync(ViewComparison.DuckDbSql()));
        expected.Should().HaveCountGreaterThan(100);
        (await ViewComparison.ViewAsync(Postgres, "hourly")).Should().Equal(expected);
    }

    [Fact]
    public async Task A_second_full_backfill_replaces_the_generation_instead_of_adding_to_it()
    {
        await BackfillAsync(ViewComparison.Pipeline("hourly", TestLake.ParquetTable));
        var second = await BackfillAsync(ViewComparison.Pipeline("hourly", TestLake.ParquetTable), new BackfillOptions { Where = "dt >= '2026-11-03'" });

        second.PartitionsPruned.Should().Be(2);
        second.Generation.Should().Be(2);
        var expected = ViewComparison.Render(await Lake.QueryAsync(ViewComparison.DuckDbSql("dt >= '2026-11-03'")));
        (await ViewComparison.ViewAsync(Postgres, "hourly")).Should().Equal(expected);
    }

    [Fact]
    public async Task Bad_files_and_rows_go_to_the_dead_letters_with_file_and_row_and_the_run_succeeds()
    {
        var expected = ViewComparison.Render(await Lake.QueryAsync(ViewComparison.DuckDbSql()));
        var partition = Path.Combine(Lake.Root, TestLake.ParquetTable, "dt=2026-11-02");
        await File.WriteAllTextAsync(Path.Combine(partition, "broken.parquet"), "PAR1 this is not a parquet file");

        var summary = await BackfillAsync(ViewComparison.Pipeline("hourly", TestLake.ParquetTable));

        summary.Status.Should().Be(BackfillStatus.Succeeded);
        summary.DeadLetters.Should().Be(1);
        await using var command = Postgres.CreateCommand("SELECT pipeline, transform, source, \"offset\", reason FROM serving.dead_letters");
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        reader.GetString(0).Should().Be("hourly");
        reader.GetString(1).Should().Be("source");
        reader.GetString(2).Should().EndWith("dt=2026-11-02/broken.parquet");
        reader.GetInt64(3).Should().Be(0);
        reader.GetString(4).Should().Contain("broken.parquet");
        (await reader.ReadAsync()).Should().BeFalse();
        // Every good file still counted.
        (await ViewComparison.ViewAsync(Postgres, "hourly")).Should().Equal(expected);
    }

    [Fact]
    public async Task Above_max_errors_the_run_fails_and_the_view_keeps_the_previous_generation()
    {
        await BackfillAsync(ViewComparison.Pipeline("hourly", TestLake.ParquetTable), new BackfillOptions { Where = "dt = '2026-11-01'" });
        var before = await ViewComparison.ViewAsync(Postgres, "hourly");
        await File.WriteAllTextAsync(Path.Combine(Lake.Root, TestLake.ParquetTable, "dt=2026-11-02", "broken.parquet"), "garbage");

        var act = () => BackfillAsync(ViewComparison.Pipeline("hourly", TestLake.ParquetTable), new BackfillOptions { MaxErrors = 0 });

        (await act.Should().ThrowAsync<BackfillFailedException>()).Which.Message.Should().Contain("--max-errors 0");
        (await ViewComparison.ViewAsync(Postgres, "hourly")).Should().Equal(before);
        await using var runs = Postgres.CreateCommand("SELECT status FROM batch.runs ORDER BY started_at");
        var statuses = new List<string>();
        await using (var reader = await runs.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                statuses.Add(reader.GetString(0));
            }
        }

        statuses.Should().Equal("SUCCEEDED", "FAILED");
        await using var dead = Postgres.CreateCommand("SELECT count(*) FROM serving.dead_letters");
        ((long)(await dead.ExecuteScalarAsync())!).Should().Be(0, "the failed run's dead letters roll back with it");
    }

    [Fact]
    public async Task A_dry_run_lists_partitions_and_files_and_changes_nothing()
    {
        var summary = await BackfillAsync(ViewComparison.Pipeline("hourly", TestLake.ParquetTable), new BackfillOptions { DryRun = true, Where = "dt <= '2026-11-02'" });

        summary.Status.Should().Be(BackfillStatus.Planned);
        summary.Partitions.Select(p => p.Values[0]).Should().Equal("2026-11-01", "2026-11-02");
        summary.FilesRead.Should().HaveCount(2).And.OnlyContain(f => f.EndsWith(".parquet"));
        await using var command = Postgres.CreateCommand("SELECT count(*) FROM pg_namespace WHERE nspname IN ('serving', 'batch')");
        ((long)(await command.ExecuteScalarAsync())!).Should().Be(0);
    }
}
