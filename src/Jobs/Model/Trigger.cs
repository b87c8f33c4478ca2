namespace Streams.Jobs.Model;

/// <summary>A trigger (Glue <c>Trigger</c>, also the body of <c>CreateTrigger</c> and the <c>TriggerUpdate</c> of <c>UpdateTrigger</c>).</summary>
public sealed record Trigger
{
    public string? Name { get; init; }
    public string? WorkflowName { get; init; }
    public string? Id { get; init; }

    /// <summary>One of <see cref="TriggerTypes"/>.</summary>
    public string? Type { get; init; }

    /// <summary>One of <see cref="TriggerStates"/>.</summary>
    public string? State { get; init; }
    public string? Description { get; init; }

    /// <summary>For <c>SCHEDULED</c>: Glue's <c>cron(Minutes Hours Day-of-month Month Day-of-week Year)</c>, UTC.</summary>
    public string? Schedule { get; init; }
    public List<TriggerAction>? Actions { get; init; }
    public Predicate? Predicate { get; init; }
    public EventBatchingCondition? EventBatchingCondition { get; init; }
}

/// <summary>What a trigger starts: a job (with arguments) or a crawler.</summary>
public sealed record TriggerAction
{
    public string? JobName { get; init; }
    public Dictionary<string, string>? Arguments { get; init; }
    public int? Timeout { get; init; }
    public string? CrawlerName { get; init; }
}

/// <summary>The conditions of a <c>CONDITIONAL</c> trigger; <see cref="Logical"/> is <c>AND</c> (all, the default) or <c>ANY</c>.</summary>
public sealed record Predicate(string? Logical, List<Condition>? Conditions);

/// <summary>A job reaching <see cref="State"/>, or a crawler reaching <see cref="CrawlState"/>.</summary>
public sealed record Condition
{
    public string? LogicalOperator { get; init; }
    public string? JobName { get; init; }
    public string? State { get; init; }
    public string? CrawlerName { get; init; }
    public string? CrawlState { get; init; }
}

/// <summary>For <c>EVENT</c> triggers: fire after this many events, or this many seconds after the first.</summary>
public sealed record EventBatchingCondition(int? BatchSize, int? BatchWindow);

/// <summary>Trigger types.</summary>
public static class TriggerTypes
{
    public const string Scheduled = "SCHEDULED";
    public const string Conditional = "CONDITIONAL";
    public const string OnDemand = "ON_DEMAND";
    public const string Event = "EVENT";
}

/// <summary>Trigger states (the transitional ones Glue reports are never observed here: changes are immediate).</summary>
public static class TriggerStates
{
    public const string Created = "CREATED";
    public const string Activated = "ACTIVATED";
    public const string Deactivated = "DEACTIVATED";
}
