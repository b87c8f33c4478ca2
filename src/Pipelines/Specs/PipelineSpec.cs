using Streams.Pipelines.Transforms;
using Streams.Pipelines.Windows;

namespace Streams.Pipelines.Specs;

/// <summary>
/// One pipeline definition, executed by both the speed layer (over the Kafka source) and the batch
/// layer (over the lake source) with the same transform code. See docs/pipelines.md.
/// </summary>
/// <param name="Name">The pipeline name (letters, digits, '_').</param>
/// <param name="Source">Where records come from in each layer.</param>
/// <param name="Transforms">The transforms, in order.</param>
/// <param name="Window">The event-time window, or null.</param>
/// <param name="Aggregate">The aggregate over the window, or null (both or neither).</param>
/// <param name="Sinks">Where outputs go.</param>
public sealed record PipelineSpec(string Name, SourceSpec Source, IReadOnlyList<Transform> Transforms, WindowSpec? Window,
    AggregateSpec? Aggregate, IReadOnlyList<SinkSpec> Sinks)
{
    /// <summary>
    /// The text (YAML or JSON) the spec was parsed from, or null for a spec built in code: the speed layer records it
    /// when a pipeline starts, so the console can show and draw a pipeline whichever process runs it.
    /// </summary>
    public string? Text { get; init; }
}
