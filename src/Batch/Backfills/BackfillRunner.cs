using System.Diagnostics;
using Npgsql;
using Streams.Batch.Bookmarks;
using Streams.Batch.Planning;
using Streams.Batch.Reading;
using Streams.Batch.Sources;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Pipelines.Execution;
using Streams.Pipelines.Expressions;
using Streams.Pipelines.Specs;
using Streams.Serving;

namespace Streams.Batch.Backfills;

/// <summary>
/// Runs a backfill: resolves the pipeline's batch source, reads its files in parallel through the same
/// <see cref="PipelineDriver"/> and transforms as the speed layer, and swaps the result into the serving
/// layer with the watermark, the job bookmark and the dead letters in one transaction. A run that fails or
/// is killed before that commit changes nothing.
/// </summary>
/// <remarks>
/// An incremental run reads the files added or changed since the bookmark. Their event-time ranges, and the
/// bookmarked ranges of changed and removed files, give the windows to recompute; the unchanged files that
/// share those windows are read again, the new generation gets the recomputed windows plus the current
/// generation's other rows. So a changed file's old contribution is replaced, never added to, whatever the
/// aggregate (min, max and count distinct cannot be subtracted).
/// </remarks>
/// <param name="postgres">The serving (and batch) database.</param>
/// <param name="lake">The lake storage.</param>
/// <param name="catalog">The catalog store, for table sources and to register new outputs.</param>
public sealed class BackfillRunner(NpgsqlDataSource postgres, ILakeStorage lake, CatalogStore? catalog = null)
{
    /// <summary>Runs <paramref name="spec"/>'s backfill.</summary>
    /// <exception cref="BatchSourceException">The source, its schema or the pipeline's sink is unusable.</exception>
    public async Task<BackfillSummary> RunAsync(PipelineSpec spec, BackfillOptions options, IProgress<BackfillProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var batch = spec.Source.Batch ?? throw new BatchSourceException(
            $"Pipeline '{spec.Name}' has no batch source: add source.batch with a catalog table (table: db.table) or a lake path (path: ...).");
        var sinkSpec = spec.Sinks.FirstOrDefault(s => s.Serving is not null && s.Output == SinkSpec.Main) ?? throw new BatchSourceException(
            $"Pipeline '{spec.Name}' has no serving sink of its main output; a backfill writes the serving layer: add sinks: [{{serving: <name>}}].");
        var bookmarksOn = batch.Bookmarks != BatchSourceSpec.BookmarksDisable;
        var mode = options.Mode switch
        {
            BackfillMode.Auto => bookmarksOn ? BackfillMode.Incremental : BackfillMode.Full,
            BackfillMode.Incremental when !bookmarksOn => throw new BatchSourceException(
                $"Pipeline '{spec.Name}': an incremental backfill reads what changed since the job bookmark, but bookmarks are disabled; set source.batch.bookmarks: enable."),
            var m => m,
        };

        if (!options.DryRun)
        {
            await ServingMigrations.ApplyAsync(postgres, cancellationToken);
            await BatchMigrations.ApplyAsync(postgres, cancellationToken);
        }

        var bookmarks = new BookmarkStore(postgres);
        if (options.ResetBookmark && !options.DryRun)
        {
            await bookmarks.ResetAsync(options.BookmarkKey ?? spec.Name, cancellationToken);
        }

        var source = await new BatchSourceResolver(lake, catalog).ResolveAsync(batch, options.Where ?? batch.Where, cancellationToken);
        var planner = new BackfillPlanner(lake, options.SplitBytes);
        var probe = await planner.PlanAsync(spec, source, [], options.Schema, cancellationToken);
        var layout = probe.Layout;
        var runner = new PipelineRunner(spec, PipelineMode.Batch, new PipelineEnvironment(postgres));
        var output = runner.ServingDefinition(sinkSpec, layout.OutputSchema);
        var time = bookmarksOn ? EventTime(spec, sinkSpec, layout.OutputSchema) : null;
        var bookmarked = bookmarksOn && !(options.ResetBookmark && options.DryRun)
            ? await bookmarks.LoadAsync(options.BookmarkKey ?? spec.Name, cancellationToken)
            : new Dictionary<string, FileBookmark>();

        string? note = null;
        if (mode == BackfillMode.Incremental && bookmarked.Count == 0)
        {
            mode = BackfillMode.Full;
            note = "no bookmark yet: every file read";
        }
        else if (mode == BackfillMode.Incremental && time is null)
        {
            mode = BackfillMode.Full;
            note = "the event time is not a column of the source, so the windows a change touches are unknown: every file read";
        }

        // Which files changed since the bookmark (files of pruned partitions are out of scope either way).
        var listed = source.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var added = source.Files.Where(f => !bookmarked.ContainsKey(f.Path)).ToList();
        var changed = source.Files.Where(f => bookmarked.TryGetValue(f.Path, out var b) && !b.Matches(f.Object)).ToList();
        var removed = bookmarked.Values.Where(b => !listed.ContainsKey(b.Path) && source.Covers(b.Path)).ToList();
        var unchanged = source.Files.Where(f => bookmarked.TryGetValue(f.Path, out var b) && b.Matches(f.Object)).ToList();
        var read = mode == BackfillMode.Full ? source.Files : [.. added, .. changed];
        var plan = await planner.PlanAsync(spec, source, read, layout.FileSchema, cancellationToken) with { Layout = layout };

        var summary = new BackfillSummary
        {
            RunId = Guid.NewGuid(),
            Status = BackfillStatus.Planned,
            Mode = mode,
            Source = source.Description,
            Partitions = source.Partitions,
            PartitionsPruned = source.PrunedPartitions,
            FilesListed = source.Files.Count,
            FilesRead = [.. read.Select(f => f.Path)],
            FilesUnchanged = mode == BackfillMode.Full ? 0 : unchanged.Count,
            FilesChanged = mode == BackfillMode.Full ? 0 : changed.Count,
            FilesRemoved = mode == BackfillMode.Full ? 0 : removed.Count,
            Splits = plan.Splits.Count,
            Bytes = read.Sum(f => f.Object.Size),
            Message = note,
        };
        if (options.DryRun)
        {
            return summary with { Duration = clock.Elapsed };
        }

        if (mode == BackfillMode.Incremental && read.Count == 0 && removed.Count == 0)
        {
            return summary with
            {
                Status = BackfillStatus.Succeeded, Duration = clock.Elapsed,
                Message = "nothing added, changed or removed since the bookmark: the view is unchanged",
            };
        }

        await BackfillRuns.StartAsync(postgres, summary.RunId, spec.Name, mode, cancellationToken);
        try
        {
            return await ExecuteAsync(spec, options, progress, runner, output, plan, mode, time, bookmarksOn && batch.Bookmarks == BatchSourceSpec.BookmarksEnable,
                bookmarked, unchanged, changed, removed, summary, clock, cancellationToken);
        }
        catch (Exception e)
        {
            await BackfillRuns.FailAsync(postgres, summary.RunId, e.Message);
            throw;
        }
    }

    private async Task<BackfillSummary> ExecuteAsync(PipelineSpec spec, BackfillOptions options, IProgress<BackfillProgress>? progress,
        PipelineRunner runner, ServingOutputDefinition output, BackfillPlan plan, BackfillMode mode, CompiledExpression? time, bool saveBookmark,
        IReadOnlyDictionary<string, FileBookmark> bookmarked, IReadOnlyList<LakeFile> unchanged, IReadOnlyList<LakeFile> changed,
        IReadOnlyList<FileBookmark> removed, BackfillSummary summary, Stopwatch clock, CancellationToken cancellationToken)
    {
        var queue = new PhasedSplitQueue(plan.Splits);
        var reader = new ParallelSplitReader(new SplitReader(lake, plan.Layout, plan.Predicates, options.BatchSize,
            runner.ColumnarFields(plan.Layout.OutputSchema)), Math.Max(1, options.Parallelism));
        var source = new BackfillSource(reader, queue, plan, time, progress);
        var reread = new List<LakeFile>();
        IReadOnlyList<(DateTime From, DateTime To)>? replaced = null;
        if (mode == BackfillMode.Incremental)
        {
            source.OnPlanRead(() =>
            {
                var ranges = new List<(DateTime From, DateTime To)>();
                foreach (var (_, statistics) in source.Files)
                {
                    if (statistics is { MinTime: { } min, MaxTime: { } max })
                    {
                        ranges.Add((min, max));
                    }
                }

                foreach (var old in changed.Select(f => bookmarked[f.Path]).Concat(removed))
                {
                    if (old is { MinTime: { } min, MaxTime: { } max })
                    {
                        ranges.Add((min, max));
                    }
                }

                var (windows, events) = Affected(spec, ranges);
                replaced = windows;
                // Unchanged files that share a recomputed window are read again, so each recomputed window sees all its records.
                reread.AddRange(unchanged.Where(f => bookmarked[f.Path] is { MinTime: { } lo, MaxTime: { } hi }
                                                     && events.Any(e => lo < e.To && hi >= e.From)));
                var splits = reread.Select(f => new FileSplit(f, null, 0, f.Object.Size)).ToList();
                source.AddSplits(splits);
                queue.Continue(splits);
            });
        }
        else
        {
            queue.Continue([]);
        }

        var current = await CurrentWatermarkAsync(output.Name, cancellationToken);
        var serving = new ServingBatchSink(postgres, output, options.Watermark, deadLetterPipeline: spec.Name, catalog,
            carryOver: mode == BackfillMode.Incremental ? () => replaced ?? [] : null,
            beforeCommit: async (connection, transaction, ct) =>
            {
                if (saveBookmark)
                {
                    var files = source.Files
                        .Where(f => plan.Splits.Any(s => s.File.Path == f.Key) || reread.Any(r => r.Path == f.Key))
                        .Select(f => Bookmark(plan, reread, f.Key, f.Value))
                        .ToList();
                    await BookmarkStore.SaveAsync(connection, transaction, options.BookmarkKey ?? spec.Name, summary.RunId, files, [.. removed.Select(r => r.Path)],
                        replaceAll: mode == BackfillMode.Full, ct);
                }

                await BackfillRuns.SucceedAsync(connection, transaction, summary.RunId, source.Files.Count, source.Rows, source.DeadLetters, ct);
            });
        await using var gate = new BackfillSink(serving, source, options.MaxErrors, mode == BackfillMode.Incremental ? () => replaced : null, options.Watermark, current);
        var driver = new PipelineDriver(runner, [gate]);
        await driver.RunAsync(source, cancellationToken);
        return summary with
        {
            Status = BackfillStatus.Succeeded,
            FilesRead = [.. summary.FilesRead, .. reread.Select(f => f.Path)],
            FilesReread = reread.Count,
            Splits = source.SplitsDone,
            Bytes = summary.Bytes + reread.Sum(f => f.Object.Size),
            RowsRead = source.Rows,
            RowGroupsSkipped = source.RowGroupsSkipped,
            RowsColumnar = runner.ColumnarRows,
            DeadLetters = gate.DeadLetters,
            RowsWritten = gate.RowsWritten,
            RowsCarriedOver = serving.CarriedOver,
            Generation = serving.Generation,
            Watermark = gate.Watermark,
            Duration = clock.Elapsed,
        };
    }

    private static FileBookmark Bookmark(BackfillPlan plan, IReadOnlyList<LakeFile> reread, string path, FileStatistics statistics)
    {
        var file = plan.Splits.FirstOrDefault(s => s.File.Path == path)?.File ?? reread.First(r => r.Path == path);
        return new FileBookmark(path, file.Object.Size, file.Object.ETag, file.Object.LastModified, statistics.Rows, statistics.MinTime, statistics.MaxTime);
    }

    /// <summary>
    /// The window starts to recompute for changes at event times in <paramref name="ranges"/>, and the event times
    /// those windows cover (the records every recomputed window needs).
    /// </summary>
    private static (IReadOnlyList<(DateTime From, DateTime To)> Windows, IReadOnlyList<(DateTime From, DateTime To)> Events) Affected(
        PipelineSpec spec, IReadOnlyList<(DateTime Min, DateTime Max)> ranges)
    {
        var tick = TimeSpan.FromTicks(10); // one microsecond, PostgreSQL's resolution
        var windows = new List<(DateTime, DateTime)>();
        var events = new List<(DateTime, DateTime)>();
        foreach (var (min, max) in ranges)
        {
            if (spec.Window is { } window)
            {
                // A window [s, s + size) holds a time t when s is in (t - size, t].
                windows.Add((min - window.Size + tick, max + tick));
                events.Add((min - window.Size, max + window.Size));
            }
            else
            {
                windows.Add((min, max + tick));
                events.Add((min, max + tick));
            }
        }

        return (windows, events);
    }

    /// <summary>The expression giving a source record's event time: the window's time, or the sink's time column; null when it is not one of the source's.</summary>
    internal static CompiledExpression? EventTime(PipelineSpec spec, SinkSpec sink, RecordSchema input)
    {
        var text = spec.Window?.TimeExpression ?? sink.TimeColumn;
        if (text is null)
        {
            return null;
        }

        try
        {
            var expression = ExpressionCompiler.Compile(text, input, "time");
            return expression.Kind == ValueKind.Timestamp ? expression : null;
        }
        catch (ExpressionException)
        {
            return null;
        }
    }

    private async Task<DateTime?> CurrentWatermarkAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand($"SELECT watermark FROM {ServingMigrations.Schema}.outputs WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DateTime watermark && watermark != DateTime.MinValue ? DateTime.SpecifyKind(watermark, DateTimeKind.Utc) : null;
    }
}
