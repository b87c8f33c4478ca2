using Streams.Api.Glue;
using Streams.Catalog;
using Streams.Catalog.Crawlers;
using Streams.Jobs;
using Streams.Jobs.Model;
using Streams.Jobs.Runs;
using Streams.Jobs.Scheduling;
using Streams.Jobs.Store;

namespace Streams.Api.Jobs;

/// <summary>
/// The Glue operations of jobs, job runs and bookmarks, triggers and workflows, with request and response shapes as in
/// the AWS Glue API reference.
/// </summary>
public sealed class JobGlueOperations(JobStore store, JobRunner runner, JobScheduler scheduler, JobBookmarks bookmarks, WorkflowGraphs graphs)
    : IGlueOperationSet
{
    private const int MaxPage = 1000;
    private static readonly string[] TriggerTypeNames = [TriggerTypes.Scheduled, TriggerTypes.Conditional, TriggerTypes.OnDemand, TriggerTypes.Event];

    /// <inheritdoc />
    public IReadOnlyDictionary<string, GlueOperation> Operations => _operations ??= new Dictionary<string, GlueOperation>
    {
        ["CreateJob"] = async (r, ct) =>
        {
            var job = CheckedJob(r.Body<Job>());
            await store.CreateJobAsync(job, ct);
            return new { job.Name };
        },
        ["UpdateJob"] = async (r, ct) =>
        {
            var name = r.String("JobName");
            await store.UpdateJobAsync(name, CheckedJob(r.Get<Job>("JobUpdate") with { Name = name }), ct);
            return new { JobName = name };
        },
        ["GetJob"] = async (r, ct) => new { Job = await store.GetJobAsync(r.String("JobName"), ct) },
        ["GetJobs"] = async (r, ct) =>
        {
            var page = await store.GetJobsAsync(r.Offset(), r.MaxResults(MaxPage), ct);
            return new { Jobs = page.Items, NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["ListJobs"] = async (r, ct) =>
        {
            var page = await store.GetJobsAsync(r.Offset(), r.MaxResults(MaxPage), ct);
            return new { JobNames = page.Items.Select(j => j.Name).ToList(), NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["BatchGetJobs"] = async (r, ct) =>
        {
            var found = new List<Job>();
            var missing = new List<string>();
            foreach (var name in r.Get<List<string>>("JobNames"))
            {
                if (await store.FindJobAsync(name, ct) is { } job)
                {
                    found.Add(job);
                }
                else
                {
                    missing.Add(name);
                }
            }

            return new { Jobs = found, JobsNotFound = missing };
        },
        ["DeleteJob"] = async (r, ct) =>
        {
            var name = r.String("JobName");
            if (await store.DeleteJobAsync(name, ct))
            {
                await bookmarks.DeleteAsync(name, ct);
            }

            return new { JobName = name };
        },
        ["StartJobRun"] = async (r, ct) =>
        {
            var id = await store.StartRunAsync(r.String("JobName"), r.Optional<Dictionary<string, string>>("Arguments"), timeout: r.OptionalInt("Timeout"),
                cancellationToken: ct);
            runner.Wake();
            return new { JobRunId = id };
        },
        ["GetJobRun"] = async (r, ct) => new { JobRun = await store.GetRunAsync(r.String("JobName"), r.String("RunId"), ct) },
        ["GetJobRuns"] = async (r, ct) =>
        {
            var name = r.String("JobName");
            await store.GetJobAsync(name, ct);
            var page = await store.GetRunsAsync(name, r.Offset(), r.MaxResults(200), ct);
            return new { JobRuns = page.Items, NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["BatchStopJobRun"] = async (r, ct) =>
        {
            var name = r.String("JobName");
            var submitted = new List<object>();
            var errors = new List<object>();
            foreach (var id in r.Get<List<string>>("JobRunIds"))
            {
                if (await store.StopRunAsync(name, id, ct) is { } error)
                {
                    errors.Add(new { JobName = name, JobRunId = id, ErrorDetail = new { ErrorCode = error.Code, ErrorMessage = error.Message } });
                }
                else
                {
                    submitted.Add(new { JobName = name, JobRunId = id });
                }
            }

            return new { SuccessfulSubmissions = submitted, Errors = errors };
        },
        ["GetJobBookmark"] = async (r, ct) => new { JobBookmarkEntry = await bookmarks.GetAsync(r.String("JobName"), ct) },
        ["ResetJobBookmark"] = async (r, ct) => new { JobBookmarkEntry = await bookmarks.ResetAsync(r.String("JobName"), ct) },

        ["CreateTrigger"] = async (r, ct) =>
        {
            var trigger = await CheckedTriggerAsync(r.Body<Trigger>(), ct);
            await store.CreateTriggerAsync(trigger, r.Bool("StartOnCreation"), ct);
            return new { trigger.Name };
        },
        ["GetTrigger"] = async (r, ct) => new { Trigger = await store.GetTriggerAsync(r.String("Name"), ct) },
        ["GetTriggers"] = async (r, ct) =>
        {
            var page = JobStore.PageOf(await store.GetAllTriggersAsync(r.OptionalString("DependentJobName"), ct), r.Offset(), r.MaxResults(200));
            return new { Triggers = page.Items, NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["ListTriggers"] = async (r, ct) =>
        {
            var page = JobStore.PageOf(await store.GetAllTriggersAsync(r.OptionalString("DependentJobName"), ct), r.Offset(), r.MaxResults(200));
            return new { TriggerNames = page.Items.Select(t => t.Name).ToList(), NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["UpdateTrigger"] = async (r, ct) =>
        {
            var name = r.String("Name");
            var current = await store.GetTriggerAsync(name, ct);
            var update = r.Get<Trigger>("TriggerUpdate");
            await CheckedTriggerAsync(current with
            {
                Schedule = update.Schedule ?? current.Schedule,
                Actions = update.Actions ?? current.Actions,
                Predicate = update.Predicate ?? current.Predicate,
                EventBatchingCondition = update.EventBatchingCondition ?? current.EventBatchingCondition,
            }, ct);
            return new { Trigger = await store.UpdateTriggerAsync(name, update, ct) };
        },
        ["StartTrigger"] = async (r, ct) =>
        {
            var trigger = await store.GetTriggerAsync(r.String("Name"), ct);
            if (trigger.Type == TriggerTypes.OnDemand)
            {
                await scheduler.FireNowAsync(trigger, ct);
            }
            else
            {
                await store.SetTriggerStateAsync(trigger.Name!, TriggerStates.Activated, ct);
            }

            return new { trigger.Name };
        },
        ["StopTrigger"] = async (r, ct) =>
        {
            var trigger = await store.GetTriggerAsync(r.String("Name"), ct);
            if (trigger.Type == TriggerTypes.OnDemand)
            {
                throw new InvalidInputException($"Trigger {trigger.Name} is ON_DEMAND: it is never activated, so it cannot be stopped.");
            }

            await store.SetTriggerStateAsync(trigger.Name!, TriggerStates.Deactivated, ct);
            return new { trigger.Name };
        },
        ["DeleteTrigger"] = async (r, ct) =>
        {
            var name = r.String("Name");
            await store.DeleteTriggerAsync(name, ct);
            return new { Name = name };
        },

        ["CreateWorkflow"] = async (r, ct) =>
        {
            var workflow = r.Body<Workflow>();
            await store.CreateWorkflowAsync(workflow, ct);
            return new { workflow.Name };
        },
        ["GetWorkflow"] = async (r, ct) => new { Workflow = await WorkflowAsync(r.String("Name"), r.Bool("IncludeGraph"), ct) },
        ["ListWorkflows"] = async (r, ct) =>
        {
            var page = JobStore.PageOf(await store.GetWorkflowNamesAsync(ct), r.Offset(), r.MaxResults(25));
            return new { Workflows = page.Items, NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["BatchGetWorkflows"] = async (r, ct) =>
        {
            var found = new List<Workflow>();
            var missing = new List<string>();
            foreach (var name in r.Get<List<string>>("Names"))
            {
                try
                {
                    found.Add(await WorkflowAsync(name, r.Bool("IncludeGraph"), ct));
                }
                catch (EntityNotFoundException)
                {
                    missing.Add(name);
                }
            }

            return new { Workflows = found, MissingWorkflows = missing };
        },
        ["UpdateWorkflow"] = async (r, ct) =>
        {
            var workflow = r.Body<Workflow>();
            await store.UpdateWorkflowAsync(workflow, ct);
            return new { workflow.Name };
        },
        ["DeleteWorkflow"] = async (r, ct) =>
        {
            var name = r.String("Name");
            await store.DeleteWorkflowAsync(name, ct);
            return new { Name = name };
        },
        ["StartWorkflowRun"] = async (r, ct) => new
        {
            RunId = await scheduler.StartWorkflowRunAsync(r.String("Name"), r.Optional<Dictionary<string, string>>("RunProperties"), ct),
        },
        ["GetWorkflowRun"] = async (r, ct) =>
        {
            var name = r.String("Name");
            var runId = r.String("RunId");
            var run = (await store.GetWorkflowRunsAsync(name, runId: runId, cancellationToken: ct)).SingleOrDefault()
                      ?? throw new EntityNotFoundException($"Workflow run {runId} of workflow {name} not found.");
            return new { Run = await CompletedRunAsync(run, r.Bool("IncludeGraph"), ct) };
        },
        ["GetWorkflowRuns"] = async (r, ct) =>
        {
            var name = r.String("Name");
            await store.GetWorkflowAsync(name, ct);
            var page = JobStore.PageOf(await store.GetWorkflowRunsAsync(name, cancellationToken: ct), r.Offset(), r.MaxResults(1000));
            var runs = new List<WorkflowRun>();
            foreach (var run in page.Items)
            {
                runs.Add(await CompletedRunAsync(run, r.Bool("IncludeGraph"), ct));
            }

            return new { Runs = runs, NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["GetWorkflowRunProperties"] = async (r, ct) =>
        {
            var name = r.String("Name");
            var runId = r.String("RunId");
            var run = (await store.GetWorkflowRunsAsync(name, runId: runId, cancellationToken: ct)).SingleOrDefault()
                      ?? throw new EntityNotFoundException($"Workflow run {runId} of workflow {name} not found.");
            return new { RunProperties = run.WorkflowRunProperties };
        },
        ["PutWorkflowRunProperties"] = async (r, ct) =>
        {
            await store.PutWorkflowRunPropertiesAsync(r.String("Name"), r.String("RunId"), r.Get<Dictionary<string, string>>("RunProperties"), ct);
            return new { };
        },
    };

    private Dictionary<string, GlueOperation>? _operations;

    private async Task<Workflow> WorkflowAsync(string name, bool includeGraph, CancellationToken cancellationToken)
    {
        var workflow = await store.GetWorkflowAsync(name, cancellationToken);
        var last = (await store.GetWorkflowRunsAsync(name, 1, cancellationToken: cancellationToken)).FirstOrDefault();
        return workflow with
        {
            LastRun = last is null ? null : await CompletedRunAsync(last, includeGraph, cancellationToken),
            Graph = includeGraph ? await graphs.BuildAsync(name, cancellationToken: cancellationToken) : null,
        };
    }

    private async Task<WorkflowRun> CompletedRunAsync(WorkflowRun run, bool includeGraph, CancellationToken cancellationToken) => run with
    {
        Statistics = await graphs.StatisticsAsync(run.WorkflowRunId, cancellationToken),
        Graph = includeGraph ? await graphs.BuildAsync(run.Name!, run.WorkflowRunId, cancellationToken) : null,
    };

    private static Job CheckedJob(Job job)
    {
        JobStore.CheckName(job.Name, "Job");
        if (job.Command?.Name is not (JobCommands.Etl or JobCommands.Streaming))
        {
            throw new InvalidInputException(
                $"Job {job.Name}: Command.Name must be {JobCommands.Etl} (a backfill) or {JobCommands.Streaming} (the speed layer), got '{job.Command?.Name}'.");
        }

        if (string.IsNullOrWhiteSpace(job.Command.ScriptLocation))
        {
            throw new InvalidInputException($"Job {job.Name}: Command.ScriptLocation must name the pipeline spec (a path or s3:// URL).");
        }

        if (job.MaxRetries is < 0 or > 10)
        {
            throw new InvalidInputException($"Job {job.Name}: MaxRetries must be between 0 and 10, got {job.MaxRetries}.");
        }

        if (job.Timeout is < 1)
        {
            throw new InvalidInputException($"Job {job.Name}: Timeout must be at least 1 minute, got {job.Timeout}.");
        }

        if (job.ExecutionProperty?.MaxConcurrentRuns is < 1)
        {
            throw new InvalidInputException($"Job {job.Name}: ExecutionProperty.MaxConcurrentRuns must be at least 1.");
        }

        try
        {
            _ = new JobArguments(job, null).Bookmarks;
        }
        catch (JobRunException e)
        {
            throw new InvalidInputException($"Job {job.Name}: DefaultArguments: {e.Message}");
        }

        return job;
    }

    private async Task<Trigger> CheckedTriggerAsync(Trigger trigger, CancellationToken cancellationToken)
    {
        JobStore.CheckName(trigger.Name, "Trigger");
        if (!TriggerTypeNames.Contains(trigger.Type))
        {
            throw new InvalidInputException($"Trigger {trigger.Name}: Type must be one of {string.Join(", ", TriggerTypeNames)}, got '{trigger.Type}'.");
        }

        if (trigger.Type == TriggerTypes.Event)
        {
            // Glue's bounds: BatchSize 1-100 events, BatchWindow 1-900 seconds (default 900).
            if (trigger.EventBatchingCondition is not { BatchSize: >= 1 and <= 100 } condition)
            {
                throw new InvalidInputException($"Trigger {trigger.Name}: an EVENT trigger needs EventBatchingCondition.BatchSize from 1 to 100 (new files per run).");
            }

            if (condition.BatchWindow is < 1 or > 900)
            {
                throw new InvalidInputException($"Trigger {trigger.Name}: EventBatchingCondition.BatchWindow must be from 1 to 900 seconds, got {condition.BatchWindow}.");
            }

            if (trigger.Actions?.FirstOrDefault(a => a.JobName is not null) is not { } first)
            {
                throw new InvalidInputException($"Trigger {trigger.Name}: an EVENT trigger watches the lake files its first job action reads; add a job action.");
            }

            if ((await store.GetJobAsync(first.JobName!, cancellationToken)).Command?.Name != JobCommands.Etl)
            {
                throw new InvalidInputException($"Trigger {trigger.Name}: the first job action of an EVENT trigger must be a glueetl job (its source.batch is what it watches).");
            }
        }
        else if (trigger.EventBatchingCondition is not null)
        {
            throw new InvalidInputException($"Trigger {trigger.Name}: only EVENT triggers have an EventBatchingCondition.");
        }

        if (trigger.Type == TriggerTypes.Scheduled)
        {
            _ = CrawlerSchedule.Validate(trigger.Schedule ?? throw new InvalidInputException($"Trigger {trigger.Name}: a SCHEDULED trigger needs a Schedule."));
        }
        else if (trigger.Schedule is not null)
        {
            throw new InvalidInputException($"Trigger {trigger.Name}: only SCHEDULED triggers have a Schedule.");
        }

        if (trigger.Type == TriggerTypes.Conditional)
        {
            var conditions = trigger.Predicate?.Conditions ?? [];
            if (conditions.Count == 0)
            {
                throw new InvalidInputException($"Trigger {trigger.Name}: a CONDITIONAL trigger needs Predicate.Conditions.");
            }

            if (trigger.Predicate!.Logical is not (null or "AND" or "ANY"))
            {
                throw new InvalidInputException($"Trigger {trigger.Name}: Predicate.Logical must be AND or ANY, got '{trigger.Predicate.Logical}'.");
            }

            foreach (var condition in conditions)
            {
                if ((condition.JobName is null) == (condition.CrawlerName is null))
                {
                    throw new InvalidInputException($"Trigger {trigger.Name}: each condition names a JobName or a CrawlerName.");
                }

                if (condition.JobName is { } job)
                {
                    await store.GetJobAsync(job, cancellationToken);
                    if (condition.State is not (JobRunStates.Succeeded or JobRunStates.Failed or JobRunStates.Stopped or JobRunStates.Timeout))
                    {
                        throw new InvalidInputException($"Trigger {trigger.Name}: condition State must be SUCCEEDED, FAILED, STOPPED or TIMEOUT, got '{condition.State}'.");
                    }
                }
                else if (condition.CrawlState is not ("SUCCEEDED" or "FAILED" or "CANCELLED"))
                {
                    throw new InvalidInputException($"Trigger {trigger.Name}: condition CrawlState must be SUCCEEDED, FAILED or CANCELLED, got '{condition.CrawlState}'.");
                }
            }
        }

        var actions = trigger.Actions ?? [];
        if (actions.Count == 0)
        {
            throw new InvalidInputException($"Trigger {trigger.Name}: Actions must name at least one job or crawler.");
        }

        foreach (var action in actions)
        {
            if ((action.JobName is null) == (action.CrawlerName is null))
            {
                throw new InvalidInputException($"Trigger {trigger.Name}: each action names a JobName or a CrawlerName.");
            }

            if (action.JobName is { } job)
            {
                await store.GetJobAsync(job, cancellationToken);
            }
        }

        if (trigger.WorkflowName is { } workflow)
        {
            await store.GetWorkflowAsync(workflow, cancellationToken);
        }

        return trigger;
    }
}
