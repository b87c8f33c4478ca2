using Streams.Formats.Model;

namespace Streams.Pipelines.Execution;

/// <summary>What a driver resumes from: committed positions and the state that was committed with them.</summary>
/// <param name="Positions">Per source partition, the next offset or row to read.</param>
/// <param name="MaxEventTime">The window's largest event time (its watermark plus delay), or null.</param>
/// <param name="TransformEntries">Saved entries of stateful transforms (deduplicate keys) by transform index.</param>
public sealed record PipelineState(IReadOnlyList<SourcePosition> Positions, DateTime? MaxEventTime,
    IReadOnlyDictionary<int, IReadOnlyList<string>> TransformEntries)
{
    /// <summary>Nothing committed yet.</summary>
    public static PipelineState Empty { get; } = new([], null, new Dictionary<int, IReadOnlyList<string>>());
}
