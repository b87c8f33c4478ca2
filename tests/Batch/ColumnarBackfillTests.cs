using Streams.Batch.Backfills;
using Streams.Catalog.Storage;
using Streams.Pipelines.Specs;
using Streams.Testing;

namespace Streams.Batch.Tests;

/// <summary>
/// The columnar path of backfill aggregates (Parquet row groups as column vectors, aggregated without records) against
/// the record path over the same files and against DuckDB's own SQL.
/// </summary>
public sealed class ColumnarBackfillTests : BackfillTestBase
{
    private static readonly string[] Columns = ["customer", "window_start", "orders", "revenue", "biggest", "smallest_qty", "avg_qty", "notes"];

    private const string DuckDbSql = """
        SELECT customer, time_bucket(INTERVAL '1 hour', ts) AS window_start, count(*) AS orders, sum(amount) AS revenue,
               max(amount) AS biggest, min(qty) AS smallest_qty, avg(qty) AS avg_qty, count(note) AS notes
        FROM orders {0} GROUP BY ALL ORDER BY customer, window_start
        """;

    /// <summary>The covered shape (count, sum, max, min, avg, count of a nullable column); a filter puts it on the record path.</summary>
    private static string Pipeline(string name, string path, string? filter = null) => $$"""
        name: {{name}}
        source: { batch: { path: {{path}}, bookmarks: disable } }
        transforms: [{{(filter is null ? "" : $"{{ filter: \"{filter}\" }}")}}]
        window: { type: tumbling, time: ts, size: 1h }
        aggregate:
          group_by: [customer]
          measures:
            orders: count()
            revenue: sum(amount)
            biggest: max(amount)
            smallest_qty: min(qty)
            avg_qty: avg(qty)
            notes: count(note)
        sinks: [{ serving: {{name}} }]
        """;

    private Task<BackfillSummary> BackfillAsync(string yaml, int parallelism) =>
        new BackfillRunner(Postgres, new LocalLakeStorage(Lake.Root))
            .RunAsync(PipelineSpecLoader.Parse(yaml, "p.yaml"), new BackfillOptions { Watermark = Watermark, Parallelism = parallelism, SplitBytes = 16 << 10 });

    [Theory]
    [InlineData(1, null, "id + 0 >= 0", "")]
    [InlineData(2, null, "id + 0 >= 0", "")]
    [InlineData(2, "qty >= 1 AND customer != 'c3' AND note IS NOT NULL AND 2.5 > qty",
        "(qty >= 1 AND customer != 'c3' AND note IS NOT NULL AND 2.5 > qty) OR false",
        "WHERE qty >= 1 AND customer != 'c3' AND note IS NOT NULL AND 2.5 > qty")]
    [InlineData(1, "customer = 'c1' AND id > -1 AND amount IS NULL", "customer = 'c1' AND id + 0 > -1 AND amount IS NULL", "WHERE customer = 'c1' AND amount IS NULL")]
    public async Task The_columnar_path_gives_the_record_paths_rows_and_DuckDBs(int parallelism, string? columnarFilter, string recordFilter, string where)
    {
        // The record path's filter is one the columnar path does not run (arithmetic, OR): same rows, other path.
        var columnar = await BackfillAsync(Pipeline("columnar", TestLake.ParquetTable, columnarFilter), parallelism);
        var records = await BackfillAsync(Pipeline("records", TestLake.ParquetTable, recordFilter), parallelism);

        columnar.Status.Should().Be(BackfillStatus.Succeeded);
        columnar.RowsRead.Should().Be(6000);
        columnar.RowsColumnar.Should().Be(6000, "every row group of the DuckDB-written files gives its columns as vectors");
        columnar.DeadLetters.Should().Be(0);
        records.RowsColumnar.Should().Be(0);
        var expected = ViewComparison.Render(await Lake.QueryAsync(string.Format(DuckDbSql, where)), Columns);
        expected.Should().HaveCountGreaterThan(100);
        var columnarView = await ViewComparison.ViewAsync(Postgres, "columnar", Columns);
        columnarView.Should().Equal(expected);
        columnarView.Should().Equal(await ViewComparison.ViewAsync(Postgres, "records", Columns));
        columnar.RowsWritten.Should().Be(records.RowsWritten);
    }

    [Fact]
    public async Task Rows_without_an_event_time_go_to_the_dead_letters_from_the_columnar_path_with_their_file_and_row()
    {
        var folder = Path.Combine(Lake.Root, "orders_null_times");
        Directory.CreateDirectory(folder);
        await DuckDb.QueryAsync(
            $"COPY (SELECT * EXCLUDE (ts, dt), CASE WHEN id % 7 = 3 THEN NULL ELSE ts END AS ts FROM ({TestLake.Select(0, 6000)})) " +
            $"TO {DuckDb.Literal(Path.Combine(folder, "part.parquet"))} (FORMAT PARQUET, ROW_GROUP_SIZE 2048)",
            "SELECT 1");
        var nulls = Enumerable.Range(0, 6000).Count(i => i % 7 == 3);

        var summary = await BackfillAsync(Pipeline("nulls", "orders_null_times"), 2);

        summary.Status.Should().Be(BackfillStatus.Succeeded);
        summary.RowsRead.Should().Be(6000);
        summary.DeadLetters.Should().Be(nulls);
        summary.RowsColumnar.Should().Be(6000 - nulls);
        await using (var command = Postgres.CreateCommand("SELECT min(\"offset\"), count(DISTINCT \"offset\"), min(reason) FROM serving.dead_letters WHERE pipeline = 'nulls'"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            (await reader.ReadAsync()).Should().BeTrue();
            reader.GetInt64(0).Should().Be(3, "the first row whose id % 7 is 3 is row 3 of the file");
            reader.GetInt64(1).Should().Be(nulls);
            reader.GetString(2).Should().Contain("is null");
        }

        var expected = ViewComparison.Render(await DuckDb.QueryAsync(
            $"CREATE VIEW orders AS SELECT * FROM read_parquet({DuckDb.Literal(Path.Combine(folder, "part.parquet"))})",
            string.Format(DuckDbSql, "WHERE ts IS NOT NULL")), Columns);
        (await ViewComparison.ViewAsync(Postgres, "nulls", Columns)).Should().Equal(expected);
    }
}
