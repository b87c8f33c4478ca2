using System.Text.Json.Serialization;

namespace Streams.Jobs.Model;

/// <summary>One attempt of a job (Glue <c>JobRun</c>), with the Streams addition <see cref="Metrics"/>.</summary>
public sealed record JobRun
{
    public required string Id { get; init; }
    public int Attempt { get; init; }
    public string? PreviousRunId { get; init; }
    public string? TriggerName { get; init; }
    public required string JobName { get; init; }
    public DateTimeOffset? StartedOn { get; init; }
    public DateTimeOffset? LastModifiedOn { get; init; }
    public DateTimeOffset? CompletedOn { get; init; }

    /// <summary>One of <see cref="JobRunStates"/>.</summary>
    public required string JobRunState { get; init; }
    public Dictionary<string, string>? Arguments { get; init; }
    public string? ErrorMessage { get; init; }

    /// <summary>Seconds the run took (so far, while it runs).</summary>
    public int ExecutionTime { get; init; }

    /// <summary>Minutes the run may take.</summary>
    public int Timeout { get; init; }
    public string? GlueVersion { get; init; }

    /// <summary>Records read and written, and dead letters, as the run reported them (a Streams extension).</summary>
    public JobRunMetrics? Metrics { get; init; }

    /// <summary>The workflow run that started this run, if any (Glue shows it in the workflow's graph, not on the run).</summary>
    [JsonIgnore]
    public string? WorkflowRunId { get; init; }
}

/// <summary>What a run has processed.</summary>
public sealed record JobRunMetrics(long RecordsIn, long RecordsOut, long DeadLetters);

/// <summary>The states of a job run, as Glue names them.</summary>
public static class JobRunStates
{
    public const string Starting = "STARTING";
    public const string Running = "RUNNING";
    public const string Stopping = "STOPPING";
    public const string Stopped = "STOPPED";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
    public const string Timeout = "TIMEOUT";

    /// <summary>The states of a run still in progress.</summary>
    public static readonly IReadOnlyList<string> Active = [Starting, Running, Stopping];

    /// <summary>Whether <paramref name="state"/> ends a run.</summary>
    public static bool IsFinal(string state) => state is Stopped or Succeeded or Failed or Timeout;
}
