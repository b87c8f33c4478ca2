namespace Streams.Pipelines.Transforms;

/// <summary>
/// The state of one transform in one runner that outlives a batch (the keys a deduplicate has seen). It
/// is a set of text entries that only grows, so the driver saves it incrementally: the entries added
/// since the last save are written in the same transaction as the batch's rows and positions.
/// </summary>
public interface ITransformState
{
    /// <summary>The entries added since the last call, in a form <see cref="Restore"/> accepts.</summary>
    IReadOnlyList<string> TakeAdded();

    /// <summary>Adds entries saved earlier (on start, or when a partition is assigned).</summary>
    void Restore(IEnumerable<string> entries);
}
