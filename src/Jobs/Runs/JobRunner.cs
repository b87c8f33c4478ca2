using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Jobs.Model;
using Streams.Jobs.Store;

namespace Streams.Jobs.Runs;

/// <summary>
/// Executes runs in one host: claims queued runs (and runs whose host's lease expired) from PostgreSQL, executes each
/// with its job's executor, renews its lease while it runs, and ends it as <c>SUCCEEDED</c>, <c>FAILED</c> (queueing a
/// retry while attempts remain), <c>STOPPED</c> or <c>TIMEOUT</c>. Several hosts on one database share the runs; each
/// run executes on one host at a time.
/// </summary>
public sealed partial class JobRunner
{
    private readonly JobStore _store;
    private readonly JobsOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Dictionary<string, IJobExecutor> _executors;
    private readonly ConcurrentDictionary<string, Task> _active = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Creates the runner of this host.</summary>
    public JobRunner(JobStore store, JobEnvironment environment, JobsOptions options, TimeProvider? clock = null, ILogger<JobRunner>? logger = null)
    {
        _store = store;
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _executors = new Dictionary<string, IJobExecutor>(StringComparer.Ordinal)
        {
            [JobCommands.Etl] = new BatchJobExecutor(environment),
            [JobCommands.Streaming] = new StreamingJobExecutor(environment),
        };
    }

    /// <summary>This host's id in leases.</summary>
    public string HostId => _options.HostId;

    /// <summary>Raised after a run of this host ended (the scheduler evaluates conditional triggers at once).</summary>
    public event Action<JobRun>? RunEnded;

    /// <summary>Asks the loop to look for queued runs now rather than at its next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Claims and executes runs until <paramref name="cancellationToken"/> is cancelled, then hands this host's runs back.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var capacity = _options.MaxRunsPerHost - _active.Count;
                if (capacity > 0)
                {
                    foreach (var claimed in await _store.ClaimAsync(HostId, _options.LeaseDuration, capacity, cancellationToken))
                    {
                        _active[claimed.Run.Id] = Task.Run(() => ExecuteAsync(claimed, cancellationToken), CancellationToken.None);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogLoopFailed(_logger, e);
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

        await Task.WhenAll(_active.Values);
    }

    private async Task ExecuteAsync(ClaimedRun claimed, CancellationToken hostStopping)
    {
        var run = claimed.Run;
        try
        {
            await ExecuteCoreAsync(claimed, hostStopping);
        }
        catch (Exception e)
        {
            LogRunFailed(_logger, e, run.Id);
        }
        finally
        {
            _active.TryRemove(run.Id, out _);
        }
    }

    private async Task ExecuteCoreAsync(ClaimedRun claimed, CancellationToken hostStopping)
    {
        var run = claimed.Run;
        var metrics = run.Metrics ?? new JobRunMetrics(0, 0, 0);
        if (run.JobRunState == JobRunStates.Stopping)
        {
            await FinishAsync(run, JobRunStates.Stopped, null, metrics);
            return;
        }

        var job = await _store.FindJobAsync(run.JobName, CancellationToken.None);
        if (job is null || job.Command?.Name is not { } command || !_executors.TryGetValue(command, out var executor))
        {
            await FinishAsync(run, JobRunStates.Failed, job is null ? $"Job {run.JobName} was deleted." : $"Command.Name '{job.Command?.Name}' is not glueetl or gluestreaming.", metrics);
            return;
        }

        await _store.AppendLogAsync(run.Id, claimed.PreviousHost is { } previous
            ? $"taken over by host {HostId} from host {previous}, whose lease expired; attempt {run.Attempt} runs again"
            : $"running on host {HostId}, attempt {run.Attempt}");
        await _store.MarkRunningAsync(run.Id, HostId, CancellationToken.None);

        var context = new JobRunContext(job, run, new JobArguments(job, run.Arguments), _store);
        context.Report(metrics.RecordsIn, metrics.RecordsOut, metrics.DeadLetters);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(hostStopping);
        var reason = StopReason.None;
        var deadline = _clock.GetUtcNow() + TimeSpan.FromMinutes(run.Timeout);
        using var leaseDone = new CancellationTokenSource();
        var lease = KeepLeaseAsync(run.Id, context, deadline, r =>
        {
            reason = r;
            cancel.Cancel();
        }, leaseDone.Token);

        string state;
        string? error = null;
        try
        {
            await executor.RunAsync(context, cancel.Token);
            state = reason switch
            {
                StopReason.Timeout => JobRunStates.Timeout,
                StopReason.None when command == JobCommands.Etl => JobRunStates.Succeeded,
                _ => JobRunStates.Stopped,
            };
        }
        catch (Exception e) when (cancel.IsCancellationRequested && e is OperationCanceledException)
        {
            state = reason == StopReason.Timeout ? JobRunStates.Timeout : JobRunStates.Stopped;
        }
        catch (Exception e)
        {
            state = JobRunStates.Failed;
            error = e.Message;
        }
        finally
        {
            await leaseDone.CancelAsync();
            await lease;
        }

        if (reason == StopReason.Timeout)
        {
            error = $"The run exceeded its Timeout of {run.Timeout} minute(s).";
        }

        if (reason == StopReason.LeaseLost)
        {
            await _store.AppendLogAsync(run.Id, $"host {HostId} lost its lease (another host took the run over)");
            return;
        }

        if (hostStopping.IsCancellationRequested && reason == StopReason.None)
        {
            // The host stops, not the run: hand it back so another host (or this one, restarted) takes it over at once.
            await _store.ReleaseAsync(run.Id, HostId, context.Metrics, CancellationToken.None);
            await _store.AppendLogAsync(run.Id, $"host {HostId} stopped; the run is handed to the next host");
            return;
        }

        await FinishAsync(run, state, error, context.Metrics);
    }

    private async Task FinishAsync(JobRun run, string state, string? error, JobRunMetrics metrics)
    {
        var retry = await _store.FinishAsync(run.Id, HostId, state, error, metrics, CancellationToken.None);
        if (retry is not null)
        {
            Wake();
        }

        RunEnded?.Invoke(run with { JobRunState = state });
    }

    /// <summary>Renews the lease every third of its duration; reports a stop request, a lost lease or the timeout.</summary>
    private async Task KeepLeaseAsync(string runId, JobRunContext context, DateTimeOffset deadline, Action<StopReason> stop, CancellationToken done)
    {
        var interval = _options.LeaseDuration / 3;
        while (!done.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : interval, done);
                var state = await _store.RenewAsync(runId, HostId, _options.LeaseDuration, context.Metrics, done);
                var reason = state switch
                {
                    null => StopReason.LeaseLost,
                    JobRunStates.Stopping => StopReason.Stop,
                    _ when _clock.GetUtcNow() >= deadline => StopReason.Timeout,
                    _ => StopReason.None,
                };
                if (reason != StopReason.None)
                {
                    stop(reason);
                    return;
                }
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A failed renewal is retried; the lease lasts three intervals.
                LogLeaseFailed(_logger, e, runId);
            }
        }
    }

    private enum StopReason
    {
        None,
        Stop,
        Timeout,
        LeaseLost,
    }

    [LoggerMessage(1, LogLevel.Warning, "The job runner's poll failed; it retries")]
    private static partial void LogLoopFailed(ILogger logger, Exception e);

    [LoggerMessage(2, LogLevel.Error, "Job run {RunId} could not be executed")]
    private static partial void LogRunFailed(ILogger logger, Exception e, string runId);

    [LoggerMessage(3, LogLevel.Warning, "Renewing the lease of job run {RunId} failed; it retries")]
    private static partial void LogLeaseFailed(ILogger logger, Exception e, string runId);
}
