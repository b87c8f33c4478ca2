using Streams.Batch.Backfills;
using Streams.Batch.Sources;
using Streams.Catalog.Storage;
using Streams.Pipelines.Specs;
using Streams.Testing;

namespace Streams.Batch.Tests;

/// <summary>Backfills over the speed layer's archive while it is being rolled: a rolled file and its segments at once count once.</summary>
public sealed class ArchiveSourceTests : BackfillTestBase
{
    private static string Name(int partition, long first, long last) => $"p{partition:D4}-{first:D19}-{last:D19}.parquet";

    private static LakeObject File(string path) => new(path, 1, "e", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Per_folder_and_partition_the_rolled_file_is_kept_and_the_segments_it_covers_are_dropped()
    {
        var hour = "/lake/orders/dt=2026-11-01/hour=00/";
        var next = "/lake/orders/dt=2026-11-01/hour=01/";
        var files = new[]
        {
            File(hour + Name(0, 0, 9)), File(hour + Name(0, 10, 19)), File(hour + Name(0, 0, 19)), File(hour + Name(0, 20, 25)),
            File(hour + Name(1, 0, 9)), File(next + Name(0, 0, 9)), File(hour + "other.parquet"),
        };

        ArchiveFiles.WithoutOverlaps(files).Select(f => f.Path).Should().Equal(
            hour + Name(0, 0, 19), hour + Name(0, 20, 25), hour + Name(1, 0, 9), next + Name(0, 0, 9), hour + "other.parquet");
    }

    [Fact]
    public async Task A_backfill_over_an_hour_folder_caught_mid_roll_counts_each_record_once()
    {
        var hour = Path.Combine(Lake.Root, "archive", "orders", "dt=2026-11-01", "hour=00");
        Directory.CreateDirectory(hour);
        async Task WriteAsync(string name, long from, long to) => await DuckDb.QueryAsync(
            $"COPY (SELECT * EXCLUDE (dt) FROM ({TestLake.Select(from, to)})) TO {DuckDb.Literal(Path.Combine(hour, name))} (FORMAT PARQUET)", "SELECT 1");
        // Partition 0's two segments, and the file that rolls them, written before the segments are deleted.
        await WriteAsync(Name(0, 0, 29), 0, 30);
        await WriteAsync(Name(0, 30, 59), 30, 60);
        await WriteAsync(Name(0, 0, 59), 0, 60);
        await WriteAsync(Name(1, 0, 39), 1000, 1040);
        var spec = PipelineSpecLoader.Parse("""
            name: archived
            source: { batch: { path: archive/orders, bookmarks: disable } }
            window: { type: tumbling, time: ts, size: 1h }
            aggregate:
              group_by: [customer]
              measures: { orders: count(), revenue: sum(amount) }
            sinks: [{ serving: archived }]
            """, "p.yaml");

        var summary = await new BackfillRunner(Postgres, new LocalLakeStorage(Lake.Root)).RunAsync(spec, new BackfillOptions { Watermark = Watermark });

        summary.Status.Should().Be(BackfillStatus.Succeeded);
        summary.FilesRead.Select(Path.GetFileName).Should().BeEquivalentTo(Name(0, 0, 59), Name(1, 0, 39));
        summary.RowsRead.Should().Be(100);
        var expected = ViewComparison.Render(await DuckDb.QueryAsync(
            $"CREATE VIEW orders AS SELECT * FROM read_parquet([{DuckDb.Literal(Path.Combine(hour, Name(0, 0, 59)))}, {DuckDb.Literal(Path.Combine(hour, Name(1, 0, 39)))}])",
            "SELECT customer, time_bucket(INTERVAL '1 hour', ts) AS window_start, count(*) AS orders, sum(amount) AS revenue FROM orders GROUP BY ALL ORDER BY customer, window_start"),
            ["customer", "window_start", "orders", "revenue"]);
        (await ViewComparison.ViewAsync(Postgres, "archived", ["customer", "window_start", "orders", "revenue"])).Should().Equal(expected);
    }
}
