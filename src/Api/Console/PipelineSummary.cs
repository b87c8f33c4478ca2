using Streams.Serving;

namespace Streams.Api.Console;

/// <summary>One pipeline as the console lists it: what the serving layer holds of it, and its spec when a job names one or the speed layer recorded it.</summary>
/// <param name="Name">The pipeline name (or, for a view no known pipeline claims, the view's).</param>
/// <param name="Views">The serving views it writes, with watermark and row counts.</param>
/// <param name="DeadLetters">Dead letters of both layers (<c>serving.&lt;name&gt;_dead_letters</c> and <c>serving.dead_letters</c>).</param>
/// <param name="CommittedOffsets">The sum of the committed source offsets of its views: grows by one per record consumed.</param>
/// <param name="LastCommit">When a micro-batch last committed positions, or null.</param>
/// <param name="Lag">Records on its topics not yet committed (high watermarks less committed offsets), or null when unknown.</param>
/// <param name="Job">The Glue job whose script location is this pipeline's spec, or null.</param>
/// <param name="SpecLocation">Where the spec is, or null.</param>
/// <param name="SpecError">Why the spec could not be read, or null.</param>
/// <param name="Spec">The spec's text, or null.</param>
/// <param name="Flow">The spec's flow, empty without a spec.</param>
public sealed record PipelineSummary(string Name, IReadOnlyList<ServingViewInfo> Views, long DeadLetters, long CommittedOffsets,
    DateTime? LastCommit, long? Lag, string? Job, string? SpecLocation, string? SpecError, string? Spec, IReadOnlyList<FlowNode> Flow)
{
    /// <summary>Records/s the processes running it reported in the last seconds (summed), or null when none reported.</summary>
    public double? RecordsPerSecond { get; init; }

    /// <summary>The freshness p50 in milliseconds the processes running it reported (the worst one's), or null.</summary>
    public double? FreshnessP50Ms { get; init; }

    /// <summary>The freshness p99 in milliseconds the processes running it reported (the worst one's), or null.</summary>
    public double? FreshnessP99Ms { get; init; }

    /// <summary>Where the spec came from: <c>job</c> (the script location of <see cref="Job"/>), <c>speed layer</c> (recorded when the stream started), or null.</summary>
    public string? SpecFrom { get; init; }
}
