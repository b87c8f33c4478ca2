namespace Streams.Batch.Reading;

/// <summary>Hands out the splits of a run to readers, each split to exactly one reader.</summary>
public interface ISplitQueue
{
    /// <summary>The next split to read, or null when none is left for this reader.</summary>
    ValueTask<FileSplit?> TakeAsync(CancellationToken cancellationToken);
}
