using System.Security.Cryptography;
using Npgsql;
using Streams.Catalog;
using Streams.Catalog.Model;
using Streams.Catalog.Store;
using Streams.Jobs.Model;

namespace Streams.Jobs.Store;

public sealed partial class JobStore
{
    /// <summary>Glue's default run timeout: 2880 minutes (48 hours).</summary>
    public const int DefaultTimeoutMinutes = 2880;

    /// <summary>
    /// Queues a run of <paramref name="jobName"/> (state <c>STARTING</c>) for any host to claim, refusing it when the
    /// job already has <c>MaxConcurrentRuns</c> runs in progress.
    /// </summary>
    /// <exception cref="EntityNotFoundException">No such job.</exception>
    /// <exception cref="ConcurrentRunsExceededException">The job is at its limit of concurrent runs.</exception>
    public async Task<string> StartRunAsync(string jobName, Dictionary<string, string>? arguments, string? triggerName = null, int? timeout = null,
        string? workflowRunId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await StartRunAsync(connection, jobName, arguments, triggerName, timeout, workflowRunId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Queues a run inside the caller's transaction (a trigger's firing and its runs commit together).</summary>
    internal static async Task<string> StartRunAsync(NpgsqlConnection connection, string jobName, Dictionary<string, string>? arguments,
        string? triggerName, int? timeout, string? workflowRunId, CancellationToken cancellationToken)
    {
        if (timeout is < 1)
        {
            throw new InvalidInputException($"Timeout must be at least 1 minute, got {timeout}.");
        }

        Job job;
        // The row lock serializes starts of one job across hosts, so the concurrency check below cannot be raced.
        await using (var select = Command(connection, $"SELECT {JobColumns} FROM jobs.jobs WHERE name = $1 FOR UPDATE", CheckName(jobName, "Job")))
        {
            job = (await ReadAsync(select, ReadJob, cancellationToken)).SingleOrDefault()
                  ?? throw new EntityNotFoundException($"Job {jobName} not found.");
        }

        var max = job.ExecutionProperty?.MaxConcurrentRuns ?? 1;
        await using (var count = Command(connection,
                         "SELECT count(*) FROM jobs.runs WHERE job_name = $1 AND state IN ('STARTING', 'RUNNING', 'STOPPING')", jobName))
        {
            var active = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            if (active >= max)
            {
                throw new ConcurrentRunsExceededException(
                    $"Job {jobName} has {active} run(s) in progress and its ExecutionProperty.MaxConcurrentRuns is {max}: stop a run, or raise the limit with UpdateJob.");
            }
        }

        var id = "jr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using var insert = Command(connection, """
            INSERT INTO jobs.runs (id, job_name, attempt, trigger_name, workflow_run_id, state, arguments, timeout_minutes, max_retries)
            VALUES ($1, $2, 0, $3, $4, 'STARTING', $5, $6, $7)
            """,
            id, jobName, triggerName, workflowRunId, new Json(CatalogJson.Serialize(arguments ?? [])),
            timeout ?? job.Timeout ?? DefaultTimeoutMinutes, Math.Max(0, job.MaxRetries ?? 0));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await AppendLogAsync(connection, id, triggerName is null ? "queued by StartJobRun" : $"queued by trigger {triggerName}", cancellationToken);
        return id;
    }

    /// <summary>A run of a job.</summary>
    /// <exception cref="EntityNotFoundException">No such run of that job.</exception>
    public async Task<JobRun> GetRunAsync(string jobName, string runId, CancellationToken cancellationToken = default)
    {
        await using var command = Command($"SELECT {RunColumns} FROM jobs.runs WHERE job_name = $1 AND id = $2", jobName, runId);
        return (await ReadAsync(command, ReadRun, cancellationToken)).SingleOrDefault()
               ?? throw new EntityNotFoundException($"Job run {runId} of job {jobName} not found.");
    }

    /// <summary>A page of a job's runs, newest first.</summary>
    public async Task<Page<JobRun>> GetRunsAsync(string jobName, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = Command($"SELECT {RunColumns} FROM jobs.runs WHERE job_name = $1 ORDER BY seq DESC OFFSET $2 LIMIT $3",
            jobName, offset, limit + 1);
        var rows = await ReadAsync(command, ReadRun, cancellationToken);
        return new Page<JobRun>(rows.Take(limit).ToList(), rows.Count > limit ? offset + limit : null);
    }

    /// <summary>The runs of a workflow run, oldest first.</summary>
    public async Task<IReadOnlyList<JobRun>> GetWorkflowJobRunsAsync(string workflowRunId, CancellationToken cancellationToken = default)
    {
        await using var command = Command($"SELECT {RunColumns} FROM jobs.runs WHERE workflow_run_id = $1 ORDER BY seq", workflowRunId);
        return await ReadAsync(command, ReadRun, cancellationToken);
    }

    /// <summary>
    /// Asks a run to stop: a queued run stops at once, one executing becomes <c>STOPPING</c> until its host stops it.
    /// </summary>
    /// <returns>Null when the stop was submitted, else the Glue error code and the reason it was not.</returns>
    public async Task<(string Code, string Message)?> StopRunAsync(string jobName, string runId, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            WITH queued AS (
                UPDATE jobs.runs SET state = 'STOPPED', final = true, completed_on = now(), modified_on = now()
                WHERE job_name = $1 AND id = $2 AND state = 'STARTING' AND host IS NULL RETURNING id),
            executing AS (
                UPDATE jobs.runs SET state = 'STOPPING', modified_on = now()
                WHERE job_name = $1 AND id = $2 AND state IN ('STARTING', 'RUNNING') AND host IS NOT NULL RETURNING id)
            SELECT (SELECT count(*) FROM queued) + (SELECT count(*) FROM executing),
                   (SELECT state FROM jobs.runs WHERE job_name = $1 AND id = $2)
            """, jobName, runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetInt64(0) > 0)
        {
            return null;
        }

        return reader.IsDBNull(1)
            ? ("EntityNotFoundException", $"Job run {runId} of job {jobName} not found.")
            : ("InvalidInputException", $"Job run {runId} is {reader.GetString(1)}: only STARTING and RUNNING runs can be stopped.");
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> runs for <paramref name="host"/>: queued ones, and ones whose host's lease
    /// expired (that host died). Each claimed run is leased to this host for <paramref name="lease"/>.
    /// </summary>
    internal async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string host, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command($"""
            WITH candidates AS (
                SELECT id AS claim_id, host AS previous_host FROM jobs.runs
                WHERE state IN ('STARTING', 'RUNNING', 'STOPPING') AND (host IS NULL OR lease_until < now())
                ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED)
            UPDATE jobs.runs r SET host = $1, lease_until = now() + $2, modified_on = now()
            FROM candidates c WHERE r.id = c.claim_id
            RETURNING {RunColumns}, c.previous_host
            """, host, lease, limit);
        return await ReadAsync(command, r => new ClaimedRun(ReadRun(r), Text(r, RunColumnCount)), cancellationToken);
    }

    /// <summary>Marks a claimed run <c>RUNNING</c> (unless a stop came first).</summary>
    internal async Task MarkRunningAsync(string runId, string host, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "UPDATE jobs.runs SET state = 'RUNNING', modified_on = now() WHERE id = $1 AND host = $2 AND state = 'STARTING'", runId, host);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Extends this host's lease of a run and records its metrics.</summary>
    /// <returns>The run's state, or null when the run is no longer this host's (its lease was taken over).</returns>
    internal async Task<string?> RenewAsync(string runId, string host, TimeSpan lease, JobRunMetrics metrics, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            UPDATE jobs.runs SET lease_until = now() + $3, records_in = $4, records_out = $5, dead_letters = $6
            WHERE id = $1 AND host = $2 AND state IN ('STARTING', 'RUNNING', 'STOPPING') RETURNING state
            """, runId, host, lease, metrics.RecordsIn, metrics.RecordsOut, metrics.DeadLetters);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>Hands a run back (its host stops): its lease expires now, so the next host to poll takes it over.</summary>
    internal async Task ReleaseAsync(string runId, string host, JobRunMetrics metrics, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "UPDATE jobs.runs SET lease_until = now(), records_in = $3, records_out = $4, dead_letters = $5 WHERE id = $1 AND host = $2",
            runId, host, metrics.RecordsIn, metrics.RecordsOut, metrics.DeadLetters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Ends a run in <paramref name="state"/>; a <c>FAILED</c> attempt with retries left queues the next attempt in the same
    /// transaction (<c>{first id}_attempt_{n}</c>, <c>PreviousRunId</c> set).
    /// </summary>
    /// <returns>The id of the retry, if one was queued.</returns>
    internal async Task<string?> FinishAsync(string runId, string host, string state, string? error, JobRunMetrics metrics, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        JobRun? run;
        int maxRetries;
        await using (var update = Command(connection, $"""
                         UPDATE jobs.runs SET state = $3, error_message = $4, completed_on = now(), modified_on = now(), lease_until = NULL,
                             records_in = $5, records_out = $6, dead_letters = $7,
                             final = NOT ($3 = 'FAILED' AND attempt < max_retries)
                         WHERE id = $1 AND host = $2 AND state IN ('STARTING', 'RUNNING', 'STOPPING')
                         RETURNING {RunColumns}, max_retries
                         """, runId, host, state, error, metrics.RecordsIn, metrics.RecordsOut, metrics.DeadLetters))
        {
            var rows = await ReadAsync(update, r => (ReadRun(r), r.GetInt32(RunColumnCount)), cancellationToken);
            if (rows.Count == 0)
            {
                return null;
            }

            (run, maxRetries) = rows[0];
        }

        await AppendLogAsync(connection, runId, error is null ? $"ended {state}" : $"ended {state}: {error}", cancellationToken);
        string? retry = null;
        if (state == JobRunStates.Failed && run.Attempt < maxRetries)
        {
            var first = run.PreviousRunId is null ? run.Id : run.Id[..run.Id.IndexOf("_attempt_", StringComparison.Ordinal)];
            retry = $"{first}_attempt_{run.Attempt + 1}";
            await using var insert = Command(connection, """
                INSERT INTO jobs.runs (id, job_name, attempt, previous_run_id, trigger_name, workflow_run_id, state, arguments, timeout_minutes, max_retries)
                SELECT $2, job_name, attempt + 1, id, trigger_name, workflow_run_id, 'STARTING', arguments, timeout_minutes, max_retries
                FROM jobs.runs WHERE id = $1
                """, runId, retry);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            await AppendLogAsync(connection, retry, $"retry {run.Attempt + 1} of {maxRetries} after {runId} failed", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return retry;
    }

    /// <summary>The latest final run of a job that ended after <paramref name="after"/> (in a workflow run, if given).</summary>
    internal async Task<JobRun?> LatestFinalRunAsync(string jobName, DateTimeOffset? after, string? workflowRunId, CancellationToken cancellationToken)
    {
        await using var command = Command($"""
            SELECT {RunColumns} FROM jobs.runs
            WHERE job_name = $1 AND final AND ($2::timestamptz IS NULL OR completed_on > $2) AND ($3::text IS NULL OR workflow_run_id = $3)
            ORDER BY completed_on DESC, seq DESC LIMIT 1
            """, jobName, after, workflowRunId);
        return (await ReadAsync(command, ReadRun, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Appends a line to a run's log.</summary>
    public async Task AppendLogAsync(string runId, string message, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await AppendLogAsync(connection, runId, message, cancellationToken);
    }

    private static async Task AppendLogAsync(NpgsqlConnection connection, string runId, string message, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "INSERT INTO jobs.run_logs (run_id, message) VALUES ($1, $2)", runId, message);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A run's log lines after <paramref name="afterSequence"/>, oldest first.</summary>
    public async Task<IReadOnlyList<JobRunLogLine>> GetLogAsync(string runId, long afterSequence = 0, CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT seq, at, message FROM jobs.run_logs WHERE run_id = $1 AND seq > $2 ORDER BY seq", runId, afterSequence);
        return await ReadAsync(command, r => new JobRunLogLine(r.GetInt64(0), Time(r, 1)!.Value, r.GetString(2)), cancellationToken);
    }

    private const string RunColumns =
        "id, attempt, previous_run_id, trigger_name, job_name, started_on, modified_on, completed_on, state, arguments::text, error_message, " +
        "timeout_minutes, records_in, records_out, dead_letters, workflow_run_id";

    private const int RunColumnCount = 16;

    private static JobRun ReadRun(NpgsqlDataReader r)
    {
        var started = Time(r, 5)!.Value;
        var completed = Time(r, 7);
        return new JobRun
        {
            Id = r.GetString(0),
            Attempt = r.GetInt32(1),
            PreviousRunId = Text(r, 2),
            TriggerName = Text(r, 3),
            JobName = r.GetString(4),
            StartedOn = started,
            LastModifiedOn = Time(r, 6),
            CompletedOn = completed,
            JobRunState = r.GetString(8),
            Arguments = CatalogJson.Deserialize<Dictionary<string, string>>(r.GetString(9)),
            ErrorMessage = Text(r, 10),
            ExecutionTime = (int)Math.Round(((completed ?? DateTimeOffset.UtcNow) - started).TotalSeconds),
            Timeout = r.GetInt32(11),
            Metrics = new JobRunMetrics(r.GetInt64(12), r.GetInt64(13), r.GetInt64(14)),
            WorkflowRunId = Text(r, 15),
        };
    }
}

/// <summary>A run a host claimed; <paramref name="PreviousHost"/> is set when it took the run over from a host whose lease expired.</summary>
internal sealed record ClaimedRun(JobRun Run, string? PreviousHost);

/// <summary>One line of a run's log.</summary>
public sealed record JobRunLogLine(long Sequence, DateTimeOffset At, string Message);
