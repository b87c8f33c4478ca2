using Streams.Formats.Model;

namespace Streams.Pipelines.Execution;

/// <summary>What a sink receives for one batch (or, with <see cref="IsFinal"/>, for the end of the input).</summary>
/// <param name="Result">The main output, child outputs and dead letters.</param>
/// <param name="Positions">Positions to commit with this step's data: the committed positions merged with the batch's.</param>
/// <param name="State">The pipeline state the step changed, to be saved with the positions.</param>
/// <param name="MainSchema">The main output's schema for the input seen so far, or null before any batch.</param>
/// <param name="Watermark">The runner's window watermark after the step, or null.</param>
/// <param name="IsFinal">True for the step of <see cref="PipelineDriver.CompleteAsync"/>: the input ended.</param>
public sealed record PipelineStep(PipelineResult Result, IReadOnlyList<SourcePosition> Positions, PipelineStateChanges State,
    RecordSchema? MainSchema, DateTime? Watermark, bool IsFinal);
