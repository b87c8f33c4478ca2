namespace Streams.Jobs.Model;

/// <summary>
/// A job (Glue <c>Job</c>, also the body of <c>CreateJob</c> and the <c>JobUpdate</c> of <c>UpdateJob</c>):
/// <see cref="Command"/> names the pipeline spec and how it runs, <c>glueetl</c> as a backfill, <c>gluestreaming</c>
/// as the speed layer. Members Streams has no use for (worker types, capacity) are kept and returned as given.
/// </summary>
public sealed record Job
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? LogUri { get; init; }
    public string? Role { get; init; }
    public DateTimeOffset? CreatedOn { get; init; }
    public DateTimeOffset? LastModifiedOn { get; init; }
    public ExecutionProperty? ExecutionProperty { get; init; }
    public JobCommand? Command { get; init; }
    public Dictionary<string, string>? DefaultArguments { get; init; }
    public Dictionary<string, string>? NonOverridableArguments { get; init; }
    public ConnectionsList? Connections { get; init; }
    public int? MaxRetries { get; init; }
    public int? AllocatedCapacity { get; init; }

    /// <summary>Minutes a run may take before it ends as <c>TIMEOUT</c>; Glue's default is 2880 (48 hours).</summary>
    public int? Timeout { get; init; }
    public double? MaxCapacity { get; init; }
    public string? WorkerType { get; init; }
    public int? NumberOfWorkers { get; init; }
    public string? SecurityConfiguration { get; init; }
    public string? GlueVersion { get; init; }
    public string? ExecutionClass { get; init; }
}

/// <summary>What a job runs (Glue <c>JobCommand</c>).</summary>
/// <param name="Name"><c>glueetl</c> (a backfill) or <c>gluestreaming</c> (the speed layer).</param>
/// <param name="ScriptLocation">The pipeline spec: a local path, or <c>s3://</c> / a path in the lake.</param>
/// <param name="PythonVersion">Kept as given (a Glue Python job's version; Streams runs pipeline specs).</param>
/// <param name="Runtime">Kept as given.</param>
public sealed record JobCommand(string? Name, string? ScriptLocation, string? PythonVersion = null, string? Runtime = null);

/// <summary>How many runs of a job may be in progress at once (Glue <c>ExecutionProperty</c>; default 1).</summary>
public sealed record ExecutionProperty(int? MaxConcurrentRuns);

/// <summary>The connections a job uses (Glue <c>ConnectionsList</c>).</summary>
public sealed record ConnectionsList(List<string>? Connections);

/// <summary>The job command names.</summary>
public static class JobCommands
{
    /// <summary>A batch job: the pipeline's backfill.</summary>
    public const string Etl = "glueetl";

    /// <summary>A streaming job: the pipeline's speed layer, until stopped.</summary>
    public const string Streaming = "gluestreaming";
}
