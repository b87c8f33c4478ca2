namespace Streams.Pipelines.Execution;

/// <summary>The state a batch changed, saved with its rows and positions (see <see cref="PipelineRunner.TakeStateChanges"/>).</summary>
/// <param name="MaxEventTime">The window's largest event time after the batch, or null without a window or records.</param>
/// <param name="AddedEntries">Entries added to stateful transforms (new deduplicate keys) by transform index.</param>
public sealed record PipelineStateChanges(DateTime? MaxEventTime, IReadOnlyDictionary<int, IReadOnlyList<string>> AddedEntries)
{
    /// <summary>No state changed.</summary>
    public static PipelineStateChanges None { get; } = new(null, new Dictionary<int, IReadOnlyList<string>>());
}
