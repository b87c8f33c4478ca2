using Streams.Jobs.Model;
using Streams.Jobs.Store;

namespace Streams.Jobs.Runs;

/// <summary>One executing run as its executor sees it: the job, the arguments, a log in PostgreSQL and live metrics.</summary>
internal sealed class JobRunContext(Job job, JobRun run, JobArguments arguments, JobStore store)
{
    private long _recordsIn;
    private long _recordsOut;
    private long _deadLetters;

    public Job Job { get; } = job;

    public JobRun Run { get; } = run;

    public JobArguments Arguments { get; } = arguments;

    /// <summary>The job store (the run's log, the job's bookmark state).</summary>
    public JobStore Store { get; } = store;

    /// <summary>What the run has processed so far.</summary>
    public JobRunMetrics Metrics => new(Interlocked.Read(ref _recordsIn), Interlocked.Read(ref _recordsOut), Interlocked.Read(ref _deadLetters));

    /// <summary>Replaces the metrics with the executor's latest totals.</summary>
    public void Report(long recordsIn, long recordsOut, long deadLetters)
    {
        Interlocked.Exchange(ref _recordsIn, recordsIn);
        Interlocked.Exchange(ref _recordsOut, recordsOut);
        Interlocked.Exchange(ref _deadLetters, deadLetters);
    }

    /// <summary>Appends a line to the run's log (kept in PostgreSQL, so it survives the host).</summary>
    public Task LogAsync(string message) => Store.AppendLogAsync(Run.Id, message, CancellationToken.None);
}
