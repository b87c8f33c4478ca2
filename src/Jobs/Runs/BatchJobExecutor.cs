using Streams.Batch.Backfills;

namespace Streams.Jobs.Runs;

/// <summary>A <c>glueetl</c> run: the pipeline's backfill, with the run's bookmark option and partition predicate.</summary>
internal sealed class BatchJobExecutor(JobEnvironment environment) : IJobExecutor
{
    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        var (spec, schema) = await JobScript.LoadAsync(context, environment.Lake, cancellationToken);
        if (context.Arguments.Bookmarks is { } bookmarks && spec.Source.Batch is { } batch)
        {
            spec = spec with { Source = spec.Source with { Batch = batch with { Bookmarks = bookmarks } } };
        }

        await JobBookmarks.AdoptAsync(context.Store, environment.Postgres, context.Job.Name!, spec.Name, cancellationToken);
        await context.LogAsync($"backfill of pipeline {spec.Name}" + (context.Arguments[JobArguments.Where] is { } w ? $" where {w}" : ""));
        var runner = new BackfillRunner(environment.Postgres, environment.Lake.Storage, environment.Catalog);
        var summary = await runner.RunAsync(spec, new BackfillOptions
            {
                Where = context.Arguments[JobArguments.Where], Schema = schema, Watermark = context.Arguments.WatermarkTime,
                BookmarkKey = JobBookmarks.KeyOf(context.Job.Name!),
            },
            new ProgressReporter(context), cancellationToken);
        context.Report(summary.RowsRead, summary.RowsWritten, summary.DeadLetters);
        await context.LogAsync(
            $"{summary.Status.ToString().ToLowerInvariant()} ({summary.Mode.ToString().ToLowerInvariant()}): {summary.FilesRead.Count} of {summary.FilesListed} files read, " +
            $"{summary.RowsRead} records in, {summary.RowsWritten} rows out, {summary.DeadLetters} dead letters" +
            (summary.Generation is { } g ? $", generation {g}" : "") + (summary.Message is { } m ? $"; {m}" : ""));
        if (summary.Status == BackfillStatus.Failed)
        {
            throw new JobRunException(summary.Message ?? "The backfill failed.");
        }
    }

    private sealed class ProgressReporter(JobRunContext context) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) => context.Report(value.Rows, context.Metrics.RecordsOut, value.DeadLetters);
    }
}
