using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Streams.Catalog;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Store;
using Streams.Jobs.Model;
using Streams.Jobs.Runs;
using Streams.Jobs.Store;

namespace Streams.Jobs.Scheduling;

/// <summary>
/// The trigger scheduler of one host. Each tick it fires the <c>SCHEDULED</c> triggers whose cron times passed since the
/// last tick, the <c>CONDITIONAL</c> triggers whose watched jobs and crawlers reached the wanted states and the
/// <c>EVENT</c> triggers with a batch of new lake files due (<see cref="LakeEvents"/>), and completes
/// workflow runs with nothing left to do. Every firing is a row in <c>jobs.firings</c>, inserted in the transaction
/// that queues its runs, so with several hosts on one database each firing runs once. The clock is a
/// <see cref="TimeProvider"/>, so tests drive firings without waiting for them.
/// </summary>
public sealed partial class JobScheduler
{
    private readonly JobStore _store;
    private readonly JobRunner _runner;
    private readonly JobsOptions _options;
    private readonly TimeProvider _clock;
    private readonly CatalogStore? _catalog;
    private readonly CrawlerService? _crawlers;
    private readonly ILogger _logger;
    private readonly LakeEvents? _events;
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>
    /// Creates the scheduler of this host; <paramref name="crawlers"/> runs crawler actions and conditions,
    /// <paramref name="environment"/> gives EVENT triggers the lake they watch (without it they never fire).
    /// </summary>
    public JobScheduler(JobStore store, JobRunner runner, JobsOptions options, TimeProvider? clock = null, CatalogStore? catalog = null,
        CrawlerService? crawlers = null, ILogger<JobScheduler>? logger = null, JobEnvironment? environment = null)
    {
        _events = environment is null ? null : new LakeEvents(store, environment);
        _store = store;
        _runner = runner;
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _catalog = catalog;
        _crawlers = crawlers;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        runner.RunEnded += _ => Wake();
    }

    /// <summary>Asks for a tick now (a run ended, so a conditional trigger may fire).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Ticks until <paramref name="cancellationToken"/> is cancelled. Cron times before the host started are not caught up, as in Glue.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var last = _clock.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _clock.GetUtcNow();
            try
            {
                await TickAsync(last, now, cancellationToken);
                last = now;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogTickFailed(_logger, e);
            }

            try
            {
                await _wake.WaitAsync(_options.PollInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Fires what is due in (<paramref name="from"/>, <paramref name="to"/>].</summary>
    internal async Task TickAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // Why before the triggers: a crawl or run that ends while this tick evaluates them is seen by the next tick's
        // triggers, so only a workflow run that was already idle before they ran may be completed by this tick.
        var idleBefore = await IdleWorkflowRunsAsync(cancellationToken);
        foreach (var (trigger, activatedOn) in await _store.ActivatedTriggersAsync(cancellationToken))
        {
            try
            {
                switch (trigger.Type)
                {
                    case TriggerTypes.Scheduled when trigger.Schedule is { } schedule:
                        var start = from > activatedOn ? from : activatedOn;
                        foreach (var time in CrawlerSchedule.Parse(schedule).GetOccurrences(start.UtcDateTime, to.UtcDateTime, fromInclusive: false, toInclusive: true))
                        {
                            await FireAsync(trigger, time.ToString("O", CultureInfo.InvariantCulture), workflowRunId: null, cancellationToken);
                        }

                        break;
                    case TriggerTypes.Conditional when trigger.WorkflowName is { } workflow:
                        foreach (var (name, runId) in await _store.RunningWorkflowRunsAsync(cancellationToken))
                        {
                            if (name == workflow)
                            {
                                await EvaluateAsync(trigger, activatedOn, runId, cancellationToken);
                            }
                        }

                        break;
                    case TriggerTypes.Conditional:
                        await EvaluateAsync(trigger, activatedOn, null, cancellationToken);
                        break;
                    case TriggerTypes.Event when _events is not null:
                        await FireEventsAsync(trigger, activatedOn, to, cancellationToken);
                        break;
                }
            }
            catch (Exception e) when (e is CatalogException or JobRunException or Batch.Sources.BatchSourceException or Pipelines.Specs.PipelineSpecException)
            {
                LogTriggerFailed(_logger, e, trigger.Name!);
            }
        }

        await FireCrawlerSchedulesAsync(from, to, cancellationToken);
        foreach (var runId in await IdleWorkflowRunsAsync(cancellationToken))
        {
            if (idleBefore.Contains(runId))
            {
                await _store.SetWorkflowRunStatusAsync(runId, WorkflowRunStates.Completed, cancellationToken);
            }
        }
    }

    /// <summary>
    /// <c>StartTrigger</c> of an <c>ON_DEMAND</c> trigger: fires it now (in a new workflow run, if it belongs to a workflow).
    /// </summary>
    public Task FireNowAsync(Trigger trigger, CancellationToken cancellationToken = default) =>
        FireAsync(trigger, "start:" + Guid.NewGuid().ToString("N"), null, cancellationToken);

    /// <summary>Starts a run of <paramref name="workflowName"/>: fires its <c>ON_DEMAND</c> triggers in the new run.</summary>
    /// <exception cref="Catalog.EntityNotFoundException">No such workflow.</exception>
    /// <exception cref="IllegalWorkflowStateException">The workflow has no ON_DEMAND trigger to start it.</exception>
    public async Task<string> StartWorkflowRunAsync(string workflowName, Dictionary<string, string>? properties, CancellationToken cancellationToken = default)
    {
        await _store.GetWorkflowAsync(workflowName, cancellationToken);
        var starters = (await _store.GetAllTriggersAsync(cancellationToken: cancellationToken))
            .Where(t => t.WorkflowName == workflowName && t.Type == TriggerTypes.OnDemand).ToList();
        if (starters.Count == 0)
        {
            throw new IllegalWorkflowStateException(
                $"Workflow {workflowName} has no ON_DEMAND trigger to start it: create one with CreateTrigger(Type=ON_DEMAND, WorkflowName={workflowName}).");
        }

        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        string runId;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            runId = await JobStore.StartWorkflowRunAsync(connection, workflowName, properties, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var trigger in starters)
        {
            await FireAsync(trigger, runId, runId, cancellationToken);
        }

        return runId;
    }

    /// <summary>
    /// Fires an EVENT trigger whose batch of new files is due: its runs get the files as <see cref="LakeEvents.FilesArgument"/>,
    /// and the firing (keyed by its first file, so each batch fires once across hosts) consumes them in its transaction.
    /// </summary>
    private async Task FireEventsAsync(Trigger trigger, DateTimeOffset activatedOn, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await _events!.DueAsync(trigger, activatedOn, now, cancellationToken) is not { } files)
        {
            return;
        }

        var key = $"event:{files[0].Sequence}";
        await FireAsync(trigger, key, null, cancellationToken,
            arguments: new Dictionary<string, string>(StringComparer.Ordinal) { [LakeEvents.FilesArgument] = JsonSerializer.Serialize(files.Select(f => f.Path)) },
            inTransaction: (connection, ct) => JobStore.ConsumeEventFilesAsync(connection, trigger.Name!, key, files, ct));
    }

    /// <summary>
    /// Fires <paramref name="trigger"/> once for <paramref name="fireKey"/>: queues its job actions (a trigger of a workflow
    /// outside a workflow run starts one) with <paramref name="arguments"/> over each action's, runs
    /// <paramref name="inTransaction"/> in the firing's transaction, and starts its crawlers. False when another host fired it first.
    /// </summary>
    internal async Task<bool> FireAsync(Trigger trigger, string fireKey, string? workflowRunId, CancellationToken cancellationToken,
        Dictionary<string, string>? runProperties = null, Dictionary<string, string>? arguments = null,
        Func<NpgsqlConnection, CancellationToken, Task>? inTransaction = null)
    {
        var crawlers = new List<string>();
        var fired = await _store.FireAsync(trigger.Name!, fireKey, _runner.HostId, async (connection, transaction, ct) =>
        {
            var workflowRun = workflowRunId;
            if (trigger.WorkflowName is { } workflow && workflowRun is null)
            {
                workflowRun = await JobStore.StartWorkflowRunAsync(connection, workflow, runProperties, ct);
            }

            foreach (var action in trigger.Actions ?? [])
            {
                if (action.JobName is { } job)
                {
                    var given = arguments is null ? action : action with { Arguments = new Dictionary<string, string>([.. action.Arguments ?? [], .. arguments]) };
                    await StartJobAsync(connection, transaction, job, given, trigger.Name!, workflowRun, ct);
                }
                else if (action.CrawlerName is { } crawler)
                {
                    crawlers.Add(crawler);
                    if (workflowRun is not null)
                    {
                        await JobStore.AddWorkflowCrawlAsync(connection, workflowRun, crawler, ct);
                    }
                }
            }

            if (inTransaction is not null)
            {
                await inTransaction(connection, ct);
            }
        }, cancellationToken);
        if (!fired)
        {
            return false;
        }

        LogFired(_logger, trigger.Name!, fireKey);
        _runner.Wake();
        foreach (var crawler in crawlers)
        {
            await StartCrawlerAsync(crawler, cancellationToken);
        }

        return true;
    }

    private async Task StartJobAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string job, TriggerAction action, string trigger,
        string? workflowRun, CancellationToken cancellationToken)
    {
        // A savepoint per action: a job at its concurrency limit is skipped without undoing the firing or the other actions.
        await transaction.SaveAsync("action", cancellationToken);
        try
        {
            await JobStore.StartRunAsync(connection, job, action.Arguments, trigger, action.Timeout, workflowRun, cancellationToken);
            await transaction.ReleaseAsync("action", cancellationToken);
        }
        catch (CatalogException e)
        {
            await transaction.RollbackAsync("action", cancellationToken);
            LogActionSkipped(_logger, trigger, job, e.Message);
        }
    }

    private async Task StartCrawlerAsync(string crawler, CancellationToken cancellationToken)
    {
        if (_crawlers is null)
        {
            return;
        }

        try
        {
            await _crawlers.StartAsync(crawler, cancellationToken);
        }
        catch (CatalogException e)
        {
            LogCrawlerSkipped(_logger, crawler, e.Message);
        }
    }

    /// <summary>A conditional trigger fires when its conditions hold for runs that ended since it last fired (or in the workflow run).</summary>
    private async Task EvaluateAsync(Trigger trigger, DateTimeOffset activatedOn, string? workflowRunId, CancellationToken cancellationToken)
    {
        var conditions = trigger.Predicate?.Conditions ?? [];
        if (conditions.Count == 0)
        {
            return;
        }

        DateTimeOffset? after = null;
        if (workflowRunId is null)
        {
            var last = await _store.LastFiredAsync(trigger.Name!, cancellationToken);
            after = last is { } l && l > activatedOn ? l : activatedOn;
        }

        var met = new List<string>();
        var unmet = 0;
        foreach (var condition in conditions)
        {
            var outcome = await OutcomeAsync(condition, after, workflowRunId, cancellationToken);
            if (outcome is { } id)
            {
                met.Add(id);
            }
            else
            {
                unmet++;
            }
        }

        var any = string.Equals(trigger.Predicate?.Logical, "ANY", StringComparison.Ordinal);
        if (met.Count > 0 && (any || unmet == 0))
        {
            await FireAsync(trigger, workflowRunId ?? string.Join(',', met), workflowRunId, cancellationToken);
        }
    }

    /// <summary>The id of the run or crawl that meets <paramref name="condition"/>, or null.</summary>
    private async Task<string?> OutcomeAsync(Condition condition, DateTimeOffset? after, string? workflowRunId, CancellationToken cancellationToken)
    {
        if (condition.JobName is { } job)
        {
            var run = await _store.LatestFinalRunAsync(job, after, workflowRunId, cancellationToken);
            return run is not null && run.JobRunState == (condition.State ?? JobRunStates.Succeeded) ? run.Id : null;
        }

        if (condition.CrawlerName is { } crawler && _catalog is not null)
        {
            if (workflowRunId is not null)
            {
                var started = (await _store.WorkflowCrawlsAsync(workflowRunId, cancellationToken)).Where(c => c.Crawler == crawler).Select(c => c.StartedOn).FirstOrDefault();
                if (started == default)
                {
                    return null;
                }

                after = started.AddSeconds(-1);
            }

            var latest = (await _catalog.GetCrawlerRunsAsync(crawler, 1, cancellationToken)).FirstOrDefault();
            return latest is { Finished: { } finished } && (after is null || finished > after) && latest.Status == (condition.CrawlState ?? "SUCCEEDED")
                ? $"crawl:{latest.Id}"
                : null;
        }

        return null;
    }

    /// <summary>Crawler schedules (kept by the catalog) fire through the same firings table as triggers, as <c>crawler:NAME</c>.</summary>
    private async Task FireCrawlerSchedulesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (_catalog is null || _crawlers is null)
        {
            return;
        }

        await foreach (var crawler in Pages.ReadAllAsync((offset, ct) => _catalog.GetCrawlersAsync(offset, 100, ct), cancellationToken))
        {
            if (crawler.Schedule is not { State: "SCHEDULED", ScheduleExpression: { } expression })
            {
                continue;
            }

            foreach (var time in CrawlerSchedule.Parse(expression).GetOccurrences(from.UtcDateTime, to.UtcDateTime, fromInclusive: false, toInclusive: true))
            {
                if (await _store.FireAsync("crawler:" + crawler.Name, time.ToString("O", CultureInfo.InvariantCulture), _runner.HostId,
                        (_, _, _) => Task.CompletedTask, cancellationToken))
                {
                    await StartCrawlerAsync(crawler.Name, cancellationToken);
                }
            }
        }
    }

    /// <summary>The running workflow runs with no job run or crawl still going (nor a failed run with attempts left).</summary>
    private async Task<HashSet<string>> IdleWorkflowRunsAsync(CancellationToken cancellationToken)
    {
        var idle = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, runId) in await _store.RunningWorkflowRunsAsync(cancellationToken))
        {
            var runs = await _store.GetWorkflowJobRunsAsync(runId, cancellationToken);
            if (runs.Any(r => !JobRunStates.IsFinal(r.JobRunState)) || runs.Any(r => r.JobRunState == JobRunStates.Failed && !IsFinalAttempt(r, runs)))
            {
                continue;
            }

            var crawls = await _store.WorkflowCrawlsAsync(runId, cancellationToken);
            var crawling = false;
            foreach (var (crawler, started) in crawls)
            {
                var latest = _catalog is null ? null : (await _catalog.GetCrawlerRunsAsync(crawler, 1, cancellationToken)).FirstOrDefault();
                crawling |= latest is null || latest.Started < started.AddSeconds(-1) || latest.Finished is null;
            }

            if (!crawling)
            {
                idle.Add(runId);
            }
        }

        return idle;
    }

    private static bool IsFinalAttempt(JobRun run, IReadOnlyList<JobRun> runs) => runs.All(r => r.PreviousRunId != run.Id);

    [LoggerMessage(1, LogLevel.Warning, "The scheduler's tick failed; it retries")]
    private static partial void LogTickFailed(ILogger logger, Exception e);

    [LoggerMessage(2, LogLevel.Warning, "Trigger {Trigger} could not be evaluated")]
    private static partial void LogTriggerFailed(ILogger logger, Exception e, string trigger);

    [LoggerMessage(3, LogLevel.Information, "Trigger {Trigger} fired ({FireKey})")]
    private static partial void LogFired(ILogger logger, string trigger, string fireKey);

    [LoggerMessage(4, LogLevel.Warning, "Trigger {Trigger} did not start job {Job}: {Reason}")]
    private static partial void LogActionSkipped(ILogger logger, string trigger, string job, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Crawler {Crawler} was not started: {Reason}")]
    private static partial void LogCrawlerSkipped(ILogger logger, string crawler, string reason);
}
