using Npgsql;
using Streams.Catalog;
using Streams.Catalog.Model;
using Streams.Catalog.Store;
using Streams.Jobs.Model;

namespace Streams.Jobs.Store;

public sealed partial class JobStore
{
    /// <summary>Creates a job.</summary>
    /// <exception cref="AlreadyExistsException">A job of that name exists.</exception>
    public async Task CreateJobAsync(Job job, CancellationToken cancellationToken = default)
    {
        var name = CheckName(job.Name, "Job");
        await using var command = Command(
            "INSERT INTO jobs.jobs (name, definition) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            name, new Json(CatalogJson.Serialize(Stored(job))));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new AlreadyExistsException($"Job {name} already exists.");
        }
    }

    /// <summary>Replaces a job's definition.</summary>
    /// <exception cref="EntityNotFoundException">No such job.</exception>
    public async Task UpdateJobAsync(string name, Job update, CancellationToken cancellationToken = default)
    {
        await using var command = Command(
            "UPDATE jobs.jobs SET definition = $2, modified_on = now() WHERE name = $1",
            CheckName(name, "Job"), new Json(CatalogJson.Serialize(Stored(update with { Name = name }))));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new EntityNotFoundException($"Job {name} not found.");
        }
    }

    /// <summary>A job.</summary>
    /// <exception cref="EntityNotFoundException">No such job.</exception>
    public async Task<Job> GetJobAsync(string name, CancellationToken cancellationToken = default) =>
        await FindJobAsync(name, cancellationToken) ?? throw new EntityNotFoundException($"Job {name} not found.");

    /// <summary>A job, or null.</summary>
    public async Task<Job?> FindJobAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = Command($"SELECT {JobColumns} FROM jobs.jobs WHERE name = $1", CheckName(name, "Job"));
        return (await ReadAsync(command, ReadJob, cancellationToken)).SingleOrDefault();
    }

    /// <summary>A page of jobs by name.</summary>
    public async Task<Page<Job>> GetJobsAsync(int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = Command($"SELECT {JobColumns} FROM jobs.jobs ORDER BY name OFFSET $1 LIMIT $2", offset, limit + 1);
        var rows = await ReadAsync(command, ReadJob, cancellationToken);
        return new Page<Job>(rows.Take(limit).ToList(), rows.Count > limit ? offset + limit : null);
    }

    /// <summary>Deletes a job and its runs; true if it existed (Glue's DeleteJob succeeds either way).</summary>
    public async Task<bool> DeleteJobAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = Command(
            "WITH runs AS (DELETE FROM jobs.runs WHERE job_name = $1) DELETE FROM jobs.jobs WHERE name = $1", CheckName(name, "Job"));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Whether the job was made before bookmarks were kept per job and has not adopted its pipeline's yet.</summary>
    internal async Task<bool> MustAdoptBookmarkAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT NOT bookmark_adopted FROM jobs.jobs WHERE name = $1", name);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Records that the job has its own bookmark.</summary>
    internal async Task BookmarkAdoptedAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = Command("UPDATE jobs.jobs SET bookmark_adopted = true WHERE name = $1", name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string JobColumns = "definition::text, created_on, modified_on";

    private static Job ReadJob(NpgsqlDataReader r) =>
        CatalogJson.Deserialize<Job>(r.GetString(0)) with { CreatedOn = Time(r, 1), LastModifiedOn = Time(r, 2) };

    private static Job Stored(Job job) => job with { CreatedOn = null, LastModifiedOn = null };
}
