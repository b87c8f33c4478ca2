namespace Streams.Jobs.Model;

/// <summary>A workflow (Glue <c>Workflow</c>): a graph of its triggers and the jobs and crawlers they start.</summary>
public sealed record Workflow
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public Dictionary<string, string>? DefaultRunProperties { get; init; }
    public DateTimeOffset? CreatedOn { get; init; }
    public DateTimeOffset? LastModifiedOn { get; init; }
    public WorkflowRun? LastRun { get; init; }
    public WorkflowGraph? Graph { get; init; }
    public int? MaxConcurrentRuns { get; init; }
}

/// <summary>One run of a workflow (Glue <c>WorkflowRun</c>).</summary>
public sealed record WorkflowRun
{
    public string? Name { get; init; }
    public required string WorkflowRunId { get; init; }
    public Dictionary<string, string>? WorkflowRunProperties { get; init; }
    public DateTimeOffset? StartedOn { get; init; }
    public DateTimeOffset? CompletedOn { get; init; }

    /// <summary><c>RUNNING</c>, <c>COMPLETED</c>, <c>STOPPING</c>, <c>STOPPED</c> or <c>ERROR</c>.</summary>
    public required string Status { get; init; }
    public string? ErrorMessage { get; init; }
    public WorkflowRunStatistics? Statistics { get; init; }
    public WorkflowGraph? Graph { get; init; }
}

/// <summary>Counts of a workflow run's actions by outcome.</summary>
public sealed record WorkflowRunStatistics
{
    public int TotalActions { get; init; }
    public int TimeoutActions { get; init; }
    public int FailedActions { get; init; }
    public int StoppedActions { get; init; }
    public int SucceededActions { get; init; }
    public int RunningActions { get; init; }
}

/// <summary>A workflow's nodes (triggers, jobs, crawlers) and the edges between them.</summary>
public sealed record WorkflowGraph(List<WorkflowNode> Nodes, List<WorkflowEdge> Edges);

/// <summary>A node of a workflow graph; <see cref="Type"/> is <c>TRIGGER</c>, <c>JOB</c> or <c>CRAWLER</c>.</summary>
public sealed record WorkflowNode
{
    public required string Type { get; init; }
    public required string Name { get; init; }
    public required string UniqueId { get; init; }
    public TriggerNodeDetails? TriggerDetails { get; init; }
    public JobNodeDetails? JobDetails { get; init; }
    public CrawlerNodeDetails? CrawlerDetails { get; init; }
}

/// <summary>The trigger of a trigger node.</summary>
public sealed record TriggerNodeDetails(Trigger Trigger);

/// <summary>The runs of a job node (in a workflow run's graph).</summary>
public sealed record JobNodeDetails(List<JobRun> JobRuns);

/// <summary>The crawls of a crawler node (in a workflow run's graph).</summary>
public sealed record CrawlerNodeDetails(List<Crawl> Crawls);

/// <summary>One crawl (Glue <c>Crawl</c> of a crawler node).</summary>
public sealed record Crawl(string State, DateTimeOffset? StartedOn, DateTimeOffset? CompletedOn, string? ErrorMessage);

/// <summary>An edge from a trigger to what it starts, or from a job or crawler to a trigger watching it.</summary>
public sealed record WorkflowEdge(string SourceId, string DestinationId);

/// <summary>Workflow run states.</summary>
public static class WorkflowRunStates
{
    public const string Running = "RUNNING";
    public const string Completed = "COMPLETED";
    public const string Stopping = "STOPPING";
    public const string Stopped = "STOPPED";
    public const string Error = "ERROR";
}
