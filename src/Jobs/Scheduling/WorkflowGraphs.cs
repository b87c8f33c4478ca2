using Streams.Catalog.Store;
using Streams.Jobs.Model;
using Streams.Jobs.Store;

namespace Streams.Jobs.Scheduling;

/// <summary>
/// A workflow's graph as Glue draws it: its triggers, the jobs and crawlers they start or watch, edges from a trigger to
/// what it starts and from a watched job or crawler to the trigger; for a workflow run, each job node lists its runs.
/// </summary>
public sealed class WorkflowGraphs(JobStore store, CatalogStore? catalog = null)
{
    /// <summary>The graph of <paramref name="workflowName"/> (with the runs of <paramref name="workflowRunId"/>, if given).</summary>
    public async Task<WorkflowGraph> BuildAsync(string workflowName, string? workflowRunId = null, CancellationToken cancellationToken = default)
    {
        var triggers = (await store.GetAllTriggersAsync(cancellationToken: cancellationToken)).Where(t => t.WorkflowName == workflowName).ToList();
        var runs = workflowRunId is null ? [] : await store.GetWorkflowJobRunsAsync(workflowRunId, cancellationToken);
        var crawls = workflowRunId is null ? [] : await store.WorkflowCrawlsAsync(workflowRunId, cancellationToken);
        var nodes = new Dictionary<string, WorkflowNode>(StringComparer.Ordinal);
        var edges = new List<WorkflowEdge>();
        foreach (var trigger in triggers)
        {
            var id = "trigger:" + trigger.Name;
            nodes[id] = new WorkflowNode { Type = "TRIGGER", Name = trigger.Name!, UniqueId = id, TriggerDetails = new TriggerNodeDetails(trigger) };
            foreach (var action in trigger.Actions ?? [])
            {
                edges.Add(new WorkflowEdge(id, await NodeAsync(action.JobName, action.CrawlerName)));
            }

            foreach (var condition in trigger.Predicate?.Conditions ?? [])
            {
                edges.Add(new WorkflowEdge(await NodeAsync(condition.JobName, condition.CrawlerName), id));
            }
        }

        return new WorkflowGraph([.. nodes.Values], [.. edges.Distinct()]);

        async Task<string> NodeAsync(string? job, string? crawler)
        {
            var id = job is not null ? "job:" + job : "crawler:" + crawler;
            if (!nodes.ContainsKey(id))
            {
                nodes[id] = job is not null
                    ? new WorkflowNode { Type = "JOB", Name = job, UniqueId = id, JobDetails = workflowRunId is null ? null : new JobNodeDetails([.. runs.Where(r => r.JobName == job)]) }
                    : new WorkflowNode
                    {
                        Type = "CRAWLER", Name = crawler!, UniqueId = id,
                        CrawlerDetails = workflowRunId is null ? null : new CrawlerNodeDetails(await CrawlsAsync(crawler!)),
                    };
            }

            return id;
        }

        async Task<List<Crawl>> CrawlsAsync(string crawler)
        {
            var started = crawls.Where(c => c.Crawler == crawler).Select(c => (DateTimeOffset?)c.StartedOn).FirstOrDefault();
            if (started is null || catalog is null)
            {
                return [];
            }

            return [.. (await catalog.GetCrawlerRunsAsync(crawler, 20, cancellationToken)).Where(r => r.Started >= started.Value.AddSeconds(-1))
                .Select(r => new Crawl(r.Status, r.Started, r.Finished, r.Error))];
        }
    }

    /// <summary>Counts of a workflow run's job runs by state.</summary>
    public async Task<WorkflowRunStatistics> StatisticsAsync(string workflowRunId, CancellationToken cancellationToken = default)
    {
        var runs = await store.GetWorkflowJobRunsAsync(workflowRunId, cancellationToken);
        return new WorkflowRunStatistics
        {
            TotalActions = runs.Count,
            TimeoutActions = runs.Count(r => r.JobRunState == JobRunStates.Timeout),
            FailedActions = runs.Count(r => r.JobRunState == JobRunStates.Failed),
            StoppedActions = runs.Count(r => r.JobRunState == JobRunStates.Stopped),
            SucceededActions = runs.Count(r => r.JobRunState == JobRunStates.Succeeded),
            RunningActions = runs.Count(r => !JobRunStates.IsFinal(r.JobRunState)),
        };
    }
}
