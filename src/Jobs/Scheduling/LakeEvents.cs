using Streams.Batch.Sources;
using Streams.Jobs.Model;
using Streams.Jobs.Runs;
using Streams.Jobs.Store;

namespace Streams.Jobs.Scheduling;

/// <summary>
/// The events of <c>EVENT</c> triggers: new files where the trigger's first job action reads (its pipeline's
/// <c>source.batch</c>, a lake path or a catalog table, local or S3 through the host's lake storage). A file is new when it
/// was written after the trigger was activated, or rewritten since it was last seen. A batch is due when
/// <c>EventBatchingCondition.BatchSize</c> files are pending, or <c>BatchWindow</c> seconds passed since the first pending one.
/// </summary>
internal sealed class LakeEvents(JobStore store, JobEnvironment environment)
{
    /// <summary>Glue's default batch window: 900 seconds.</summary>
    public const int DefaultBatchWindowSeconds = 900;

    /// <summary>The run argument that lists a firing's files (a JSON array of lake paths).</summary>
    public const string FilesArgument = "--event-files";

    /// <summary>Lists the trigger's source, records new files, and returns the batch due now (oldest files first), if any.</summary>
    /// <exception cref="JobRunException">The action's job or spec cannot be read.</exception>
    public async Task<IReadOnlyList<EventFile>?> DueAsync(Trigger trigger, DateTimeOffset activatedOn, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var action = trigger.Actions?.FirstOrDefault(a => a.JobName is not null)
                     ?? throw new JobRunException($"EVENT trigger {trigger.Name} has no job action whose source it could watch.");
        var job = await store.GetJobAsync(action.JobName!, cancellationToken);
        var (spec, _) = await JobScript.LoadAsync(job, action.Arguments, store, environment.Lake, cancellationToken);
        var batch = spec.Source.Batch ?? throw new JobRunException(
            $"EVENT trigger {trigger.Name}: pipeline {spec.Name} of job {job.Name} has no source.batch, so there are no lake files to watch.");
        var source = await new BatchSourceResolver(environment.Lake.Storage, environment.Catalog)
            .ResolveAsync(batch, new JobArguments(job, action.Arguments)[JobArguments.Where] ?? batch.Where, cancellationToken);
        await store.RecordEventFilesAsync(trigger.Name!, [.. source.Files.Select(f => f.Object).Where(o => o.LastModified > activatedOn)], now, cancellationToken);

        var pending = await store.PendingEventFilesAsync(trigger.Name!, cancellationToken);
        var size = trigger.EventBatchingCondition?.BatchSize ?? 1;
        var window = TimeSpan.FromSeconds(trigger.EventBatchingCondition?.BatchWindow ?? DefaultBatchWindowSeconds);
        return pending.Count >= size || (pending.Count > 0 && now - pending[0].SeenOn >= window) ? [.. pending.Take(size)] : null;
    }
}
