using System.Security.Cryptography;
using Npgsql;
using Streams.Catalog;
using Streams.Catalog.Model;
using Streams.Jobs.Model;

namespace Streams.Jobs.Store;

public sealed partial class JobStore
{
    /// <summary>Creates a workflow.</summary>
    /// <exception cref="AlreadyExistsException">A workflow of that name exists.</exception>
    public async Task CreateWorkflowAsync(Workflow workflow, CancellationToken cancellationToken = default)
    {
        var name = CheckName(workflow.Name, "Workflow");
        await using var command = Command("INSERT INTO jobs.workflows (name, definition) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            name, new Json(CatalogJson.Serialize(new Workflow
            {
                Name = name, Description = workflow.Description, DefaultRunProperties = workflow.DefaultRunProperties,
                MaxConcurrentRuns = workflow.MaxConcurrentRuns,
            })));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new AlreadyExistsException($"Workflow {name} already exists.");
        }
    }

    /// <summary>A workflow (without its graph and last run, which the caller assembles).</summary>
    /// <exception cref="EntityNotFoundException">No such workflow.</exception>
    public async Task<Workflow> GetWorkflowAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT definition::text, created_on, modified_on FROM jobs.workflows WHERE name = $1", CheckName(name, "Workflow"));
        return (await ReadAsync(command, r => CatalogJson.Deserialize<Workflow>(r.GetString(0)) with { CreatedOn = Time(r, 1), LastModifiedOn = Time(r, 2) },
                   cancellationToken)).SingleOrDefault()
               ?? throw new EntityNotFoundException($"Workflow {name} not found.");
    }

    /// <summary>Every workflow name, sorted.</summary>
    public async Task<IReadOnlyList<string>> GetWorkflowNamesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT name FROM jobs.workflows ORDER BY name");
        return await ReadAsync(command, r => r.GetString(0), cancellationToken);
    }

    /// <summary>Updates a workflow's description, default run properties and concurrency.</summary>
    /// <exception cref="EntityNotFoundException">No such workflow.</exception>
    public async Task UpdateWorkflowAsync(Workflow update, CancellationToken cancellationToken = default)
    {
        var current = await GetWorkflowAsync(update.Name!, cancellationToken);
        await using var command = Command("UPDATE jobs.workflows SET definition = $2, modified_on = now() WHERE name = $1",
            current.Name, new Json(CatalogJson.Serialize(new Workflow
            {
                Name = current.Name,
                Description = update.Description ?? current.Description,
                DefaultRunProperties = update.DefaultRunProperties ?? current.DefaultRunProperties,
                MaxConcurrentRuns = update.MaxConcurrentRuns ?? current.MaxConcurrentRuns,
            })));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes a workflow and its runs; its triggers are deleted with it, as in Glue. True if it existed.</summary>
    public async Task<bool> DeleteWorkflowAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            WITH firings AS (DELETE FROM jobs.firings WHERE trigger_name IN (SELECT name FROM jobs.triggers WHERE workflow_name = $1)),
                 triggers AS (DELETE FROM jobs.triggers WHERE workflow_name = $1),
                 crawls AS (DELETE FROM jobs.workflow_crawls WHERE workflow_run_id IN (SELECT id FROM jobs.workflow_runs WHERE workflow_name = $1)),
                 runs AS (DELETE FROM jobs.workflow_runs WHERE workflow_name = $1)
            DELETE FROM jobs.workflows WHERE name = $1
            """, CheckName(name, "Workflow"));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Starts a run of a workflow inside the caller's transaction, refusing it past the workflow's MaxConcurrentRuns.</summary>
    internal static async Task<string> StartWorkflowRunAsync(NpgsqlConnection connection, string workflowName, Dictionary<string, string>? properties,
        CancellationToken cancellationToken)
    {
        int? max;
        await using (var select = Command(connection, "SELECT definition::text FROM jobs.workflows WHERE name = $1 FOR UPDATE", workflowName))
        {
            var definition = (string?)await select.ExecuteScalarAsync(cancellationToken)
                             ?? throw new EntityNotFoundException($"Workflow {workflowName} not found.");
            var workflow = CatalogJson.Deserialize<Workflow>(definition);
            max = workflow.MaxConcurrentRuns;
            properties = new Dictionary<string, string>(workflow.DefaultRunProperties ?? [], StringComparer.Ordinal)
                .Concat(properties ?? []).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        }

        if (max is { } limit)
        {
            await using var count = Command(connection, "SELECT count(*) FROM jobs.workflow_runs WHERE workflow_name = $1 AND status IN ('RUNNING', 'STOPPING')",
                workflowName);
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! >= limit)
            {
                throw new ConcurrentRunsExceededException($"Workflow {workflowName} has {limit} run(s) in progress, its MaxConcurrentRuns.");
            }
        }

        var id = "wr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using var insert = Command(connection, "INSERT INTO jobs.workflow_runs (id, workflow_name, status, properties) VALUES ($1, $2, 'RUNNING', $3)",
            id, workflowName, new Json(CatalogJson.Serialize(properties)));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    /// <summary>Runs of a workflow, newest first (all when <paramref name="limit"/> is null).</summary>
    public async Task<IReadOnlyList<WorkflowRun>> GetWorkflowRunsAsync(string workflowName, int? limit = null, string? runId = null,
        CancellationToken cancellationToken = default)
    {
        await using var command = Command($"""
            SELECT id, workflow_name, status, properties::text, started_on, completed_on, error_message FROM jobs.workflow_runs
            WHERE workflow_name = $1 AND ($2::text IS NULL OR id = $2) ORDER BY seq DESC {(limit is null ? "" : "LIMIT " + limit.Value)}
            """, workflowName, runId);
        return await ReadAsync(command, r => new WorkflowRun
        {
            WorkflowRunId = r.GetString(0), Name = r.GetString(1), Status = r.GetString(2),
            WorkflowRunProperties = CatalogJson.Deserialize<Dictionary<string, string>>(r.GetString(3)),
            StartedOn = Time(r, 4), CompletedOn = Time(r, 5), ErrorMessage = Text(r, 6),
        }, cancellationToken);
    }

    /// <summary>The workflow runs in progress.</summary>
    internal async Task<IReadOnlyList<(string Workflow, string RunId)>> RunningWorkflowRunsAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT workflow_name, id FROM jobs.workflow_runs WHERE status IN ('RUNNING', 'STOPPING') ORDER BY seq");
        return await ReadAsync(command, r => (r.GetString(0), r.GetString(1)), cancellationToken);
    }

    /// <summary>Sets a workflow run's status (and its completion time, for a final one).</summary>
    internal async Task SetWorkflowRunStatusAsync(string runId, string status, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            UPDATE jobs.workflow_runs SET status = $2, completed_on = CASE WHEN $2 IN ('COMPLETED', 'STOPPED', 'ERROR') THEN now() END WHERE id = $1
            """, runId, status);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Replaces a workflow run's properties.</summary>
    /// <exception cref="EntityNotFoundException">No such run.</exception>
    public async Task PutWorkflowRunPropertiesAsync(string workflowName, string runId, Dictionary<string, string> properties, CancellationToken cancellationToken = default)
    {
        await using var command = Command("UPDATE jobs.workflow_runs SET properties = properties || $3 WHERE workflow_name = $1 AND id = $2",
            workflowName, runId, new Json(CatalogJson.Serialize(properties)));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new EntityNotFoundException($"Workflow run {runId} of workflow {workflowName} not found.");
        }
    }

    /// <summary>Records that a workflow run started a crawler (its crawls after this time belong to the run).</summary>
    internal static async Task AddWorkflowCrawlAsync(NpgsqlConnection connection, string workflowRunId, string crawlerName, CancellationToken cancellationToken)
    {
        await using var command = Command(connection,
            "INSERT INTO jobs.workflow_crawls (workflow_run_id, crawler_name) VALUES ($1, $2) ON CONFLICT DO NOTHING", workflowRunId, crawlerName);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The crawlers a workflow run started, with when.</summary>
    internal async Task<IReadOnlyList<(string Crawler, DateTimeOffset StartedOn)>> WorkflowCrawlsAsync(string workflowRunId, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT crawler_name, started_on FROM jobs.workflow_crawls WHERE workflow_run_id = $1 ORDER BY started_on", workflowRunId);
        return await ReadAsync(command, r => (r.GetString(0), Time(r, 1)!.Value), cancellationToken);
    }
}
