using System.Text.Json;
using Npgsql;
using Streams.Batch.Bookmarks;
using Streams.Catalog;
using Streams.Jobs.Model;
using Streams.Jobs.Store;

namespace Streams.Jobs.Runs;

/// <summary>
/// A job's bookmark (Glue <c>JobBookmarkEntry</c>) over the batch layer's bookmarks, kept per job as in Glue (two jobs on
/// one spec each have their own; <c>streams backfill</c> keeps the pipeline's): the files the last successful
/// incremental run read, which the next run skips unless they changed.
/// </summary>
public sealed class JobBookmarks(JobStore store, JobEnvironment environment)
{
    /// <summary>The batch layer's bookmark key of a job (pipeline names have no colon, so keys of jobs and pipelines never meet).</summary>
    public static string KeyOf(string jobName) => "job:" + jobName;

    /// <summary>
    /// Gives a job made before bookmarks were kept per job a copy of its pipeline's bookmark, once (see the jobs migrations).
    /// </summary>
    internal static async Task AdoptAsync(JobStore store, NpgsqlDataSource postgres, string jobName, string pipeline, CancellationToken cancellationToken)
    {
        if (!await store.MustAdoptBookmarkAsync(jobName, cancellationToken))
        {
            return;
        }

        await BatchMigrations.ApplyAsync(postgres, cancellationToken);
        await new BookmarkStore(postgres).CopyAsync(pipeline, KeyOf(jobName), cancellationToken);
        await store.BookmarkAdoptedAsync(jobName, cancellationToken);
    }

    /// <summary>Deletes a job's bookmark (with the job, so a new job of that name starts without one).</summary>
    public async Task DeleteAsync(string jobName, CancellationToken cancellationToken = default)
    {
        await BatchMigrations.ApplyAsync(environment.Postgres, cancellationToken);
        await new BookmarkStore(environment.Postgres).ResetAsync(KeyOf(jobName), cancellationToken);
    }

    /// <summary>The bookmark of <paramref name="jobName"/>.</summary>
    /// <exception cref="EntityNotFoundException">No such job, or it has no bookmark yet.</exception>
    public async Task<JobBookmarkEntry> GetAsync(string jobName, CancellationToken cancellationToken = default)
    {
        var bookmarks = await LoadAsync(jobName, cancellationToken);
        if (bookmarks.Count == 0)
        {
            throw new EntityNotFoundException($"Continuation for job {jobName} not found: no run of it has saved a bookmark.");
        }

        return await EntryAsync(jobName, bookmarks, cancellationToken);
    }

    /// <summary>Forgets the bookmark: the next run reads every file.</summary>
    /// <exception cref="EntityNotFoundException">No such job.</exception>
    public async Task<JobBookmarkEntry> ResetAsync(string jobName, CancellationToken cancellationToken = default)
    {
        var bookmarks = await LoadAsync(jobName, cancellationToken);
        var entry = await EntryAsync(jobName, bookmarks, cancellationToken);
        await new BookmarkStore(environment.Postgres).ResetAsync(KeyOf(jobName), cancellationToken);
        return entry;
    }

    private async Task<IReadOnlyDictionary<string, FileBookmark>> LoadAsync(string jobName, CancellationToken cancellationToken)
    {
        var job = await store.GetJobAsync(jobName, cancellationToken);
        await BatchMigrations.ApplyAsync(environment.Postgres, cancellationToken);
        if (await store.MustAdoptBookmarkAsync(jobName, cancellationToken))
        {
            // Only a job from before per-job bookmarks needs its spec here, for the name of the pipeline whose bookmark it adopts.
            // The spec may name parameters only a run gives (${name}): read it with the latest run's arguments.
            var latest = (await store.GetRunsAsync(jobName, 0, 1, cancellationToken)).Items.FirstOrDefault();
            string pipeline;
            try
            {
                pipeline = (await JobScript.LoadAsync(job, latest?.Arguments, store, environment.Lake, cancellationToken)).Spec.Name;
            }
            catch (Exception e) when (e is JobRunException or Pipelines.Specs.PipelineSpecException)
            {
                throw new InvalidInputException($"Job {jobName}: {e.Message}");
            }

            await AdoptAsync(store, environment.Postgres, jobName, pipeline, cancellationToken);
        }

        return await new BookmarkStore(environment.Postgres).LoadAsync(KeyOf(jobName), cancellationToken);
    }

    private async Task<JobBookmarkEntry> EntryAsync(string jobName, IReadOnlyDictionary<string, FileBookmark> bookmarks, CancellationToken cancellationToken)
    {
        var runs = await store.GetRunsAsync(jobName, 0, 1000, cancellationToken);
        var succeeded = runs.Items.Where(r => r.JobRunState == JobRunStates.Succeeded).ToList();
        var last = succeeded.FirstOrDefault();
        return new JobBookmarkEntry
        {
            JobName = jobName,
            Version = bookmarks.Count,
            Run = succeeded.Count,
            Attempt = last?.Attempt ?? 0,
            RunId = last?.Id,
            PreviousRunId = succeeded.Skip(1).FirstOrDefault()?.Id,
            JobBookmark = JsonSerializer.Serialize(bookmarks.Values.OrderBy(b => b.Path, StringComparer.Ordinal)
                .ToDictionary(b => b.Path, b => new { b.Size, b.ETag, b.Rows })),
        };
    }
}

/// <summary>Glue <c>JobBookmarkEntry</c>: <see cref="JobBookmark"/> is the JSON of the bookmarked files (path: size, etag, rows).</summary>
public sealed record JobBookmarkEntry
{
    public required string JobName { get; init; }
    public int Version { get; init; }
    public int Run { get; init; }
    public int Attempt { get; init; }
    public string? PreviousRunId { get; init; }
    public string? RunId { get; init; }
    public string? JobBookmark { get; init; }
}
