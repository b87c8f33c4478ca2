using Streams.Batch.Backfills;
using Streams.Catalog.Storage;
using Streams.Pipelines.Specs;
using Streams.Testing;

namespace Streams.Batch.Tests;

/// <summary>Incremental backfills with job bookmarks: only what changed is read, and the view still equals DuckDB's aggregation over the files.</summary>
public sealed class IncrementalBackfillTests : BackfillTestBase
{
    private Task<BackfillSummary> BackfillAsync(BackfillOptions? options = null, string bookmarks = "enable", CancellationToken cancellationToken = default,
        IProgress<BackfillProgress>? progress = null) =>
        new BackfillRunner(Postgres, new LocalLakeStorage(Lake.Root)).RunAsync(
            PipelineSpecLoader.Parse(ViewComparison.Pipeline("hourly", TestLake.ParquetTable, bookmarks), "p.yaml"),
            (options ?? new BackfillOptions()) with { Watermark = Watermark, Parallelism = 2 }, progress, cancellationToken);

    private async Task ViewEqualsDuckDbAsync() =>
        (await ViewComparison.ViewAsync(Postgres, "hourly")).Should().Equal(ViewComparison.Render(await Lake.QueryAsync(ViewComparison.DuckDbSql())));

    private async Task<List<string>> BookmarkAsync()
    {
        await using var command = Postgres.CreateCommand("SELECT path || ' ' || size || ' ' || etag || ' ' || rows FROM batch.bookmarks ORDER BY path");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    [Fact]
    public async Task A_new_partition_is_read_alone_and_the_totals_still_equal_DuckDBs()
    {
        var first = await BackfillAsync();
        first.Mode.Should().Be(BackfillMode.Full, "there is no bookmark yet");
        var before = first.FilesRead.Count;

        // Rows far enough after the first ones that they share no window: new partitions only.
        await Lake.AddAsync(8000, 9000, "part-1");
        var second = await BackfillAsync();

        second.Mode.Should().Be(BackfillMode.Incremental);
        second.FilesRead.Should().NotBeEmpty().And.OnlyContain(f => f.Contains("part-1"));
        second.FilesUnchanged.Should().Be(before);
        second.FilesReread.Should().Be(0);
        second.RowsRead.Should().Be(1000);
        second.RowsCarriedOver.Should().BeGreaterThan(0);
        await ViewEqualsDuckDbAsync();

        // Nothing new: nothing read, nothing swapped.
        var third = await BackfillAsync();
        third.FilesRead.Should().BeEmpty();
        third.Generation.Should().BeNull();
        await ViewEqualsDuckDbAsync();
    }

    [Fact]
    public async Task New_rows_in_windows_already_served_re_read_the_files_sharing_those_windows()
    {
        await BackfillAsync();
        // Rows 6000.. continue the last hour of the first files: that window is recomputed from both.
        await Lake.AddAsync(6000, 6500, "part-1");

        var second = await BackfillAsync();

        second.FilesRead.Where(f => f.Contains("part-1")).Should().NotBeEmpty();
        second.FilesReread.Should().BeGreaterThan(0);
        await ViewEqualsDuckDbAsync();
    }

    [Fact]
    public async Task A_modified_file_is_read_again_and_its_old_contribution_replaced_not_doubled()
    {
        await BackfillAsync();
        var file = Directory.GetFiles(Path.Combine(Lake.Root, TestLake.ParquetTable, "dt=2026-11-02")).Single();
        var rewritten = file + ".new";
        // The same partition's file now holds only its even ids, and a count the view must reflect exactly.
        await DuckDb.QueryAsync(
            $"COPY (SELECT * EXCLUDE (dt) FROM read_parquet({DuckDb.Literal(file)}) WHERE id % 2 = 0) TO {DuckDb.Literal(rewritten)} (FORMAT PARQUET, ROW_GROUP_SIZE 2048)",
            "SELECT 1");
        File.Move(rewritten, file, overwrite: true);

        var second = await BackfillAsync();

        second.FilesChanged.Should().Be(1);
        second.FilesRead.Should().Contain(file);
        await ViewEqualsDuckDbAsync();
    }

    [Fact]
    public async Task A_removed_file_takes_its_contribution_with_it()
    {
        await BackfillAsync();
        File.Delete(Directory.GetFiles(Path.Combine(Lake.Root, TestLake.ParquetTable, "dt=2026-11-03")).Single());

        var second = await BackfillAsync();

        second.FilesRemoved.Should().Be(1);
        await ViewEqualsDuckDbAsync();
        (await BookmarkAsync()).Should().NotContain(b => b.Contains("dt=2026-11-03"));
    }

    [Fact]
    public async Task A_run_cancelled_midway_leaves_view_and_bookmark_unchanged_and_the_rerun_completes()
    {
        await BackfillAsync(new BackfillOptions { Where = "dt <= '2026-11-02'" });
        var view = await ViewComparison.ViewAsync(Postgres, "hourly");
        var bookmark = await BookmarkAsync();
        await Lake.AddAsync(6000, 9000, "part-1");

        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Rows > 0)
            {
                cancel.Cancel();
            }
        });
        var act = () => BackfillAsync(new BackfillOptions { BatchSize = 100 }, cancellationToken: cancel.Token, progress: progress);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await ViewComparison.ViewAsync(Postgres, "hourly")).Should().Equal(view);
        (await BookmarkAsync()).Should().Equal(bookmark);
        await using (var status = Postgres.CreateCommand("SELECT status FROM batch.runs ORDER BY started_at DESC LIMIT 1"))
        {
            ((string)(await status.ExecuteScalarAsync())!).Should().Be("FAILED");
        }

        var rerun = await BackfillAsync();
        rerun.Status.Should().Be(BackfillStatus.Succeeded);
        await ViewEqualsDuckDbAsync();
    }

    [Fact]
    public async Task Reset_bookmark_reads_everything_again_and_pause_leaves_the_bookmark_where_it_was()
    {
        await BackfillAsync();
        var bookmark = await BookmarkAsync();
        await Lake.AddAsync(8000, 8500, "part-1");

        var paused = await BackfillAsync(bookmarks: "pause");
        paused.FilesRead.Should().OnlyContain(f => f.Contains("part-1"));
        (await BookmarkAsync()).Should().Equal(bookmark);

        var reset = await BackfillAsync(new BackfillOptions { ResetBookmark = true });
        reset.Mode.Should().Be(BackfillMode.Full);
        reset.FilesRead.Should().HaveCount(bookmark.Count + paused.FilesRead.Count);
        await ViewEqualsDuckDbAsync();
    }

    /// <summary>Reports on the reporting thread, so the test cancels at a known point.</summary>
    private sealed class SynchronousProgress(Action<BackfillProgress> report) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) => report(value);
    }
}
