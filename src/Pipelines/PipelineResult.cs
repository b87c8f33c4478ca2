namespace Streams.Pipelines;

/// <summary>What one step of a pipeline run produced.</summary>
/// <param name="Output">The main output rows (transformed records, or aggregate rows), possibly empty.</param>
/// <param name="Children">Child outputs (relationalize) by name.</param>
/// <param name="DeadLetters">Records that failed, with reasons and source positions.</param>
public sealed record PipelineResult(RecordBatch Output, IReadOnlyDictionary<string, IReadOnlyList<RecordBatch>> Children, IReadOnlyList<DeadLetter> DeadLetters);
