namespace Streams.Batch.Reading;

/// <summary>
/// Splits in two phases: the first phase's splits, then, once <see cref="Continue"/> names them, a second
/// set that depends on what the first phase found (an incremental backfill re-reads the unchanged files that
/// share windows with the changed ones, known only after reading those). Readers wait between the phases.
/// </summary>
public sealed class PhasedSplitQueue(IEnumerable<FileSplit> first) : ISplitQueue
{
    private readonly LocalSplitQueue _first = new(first);
    private readonly TaskCompletionSource<LocalSplitQueue> _second = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    public async ValueTask<FileSplit?> TakeAsync(CancellationToken cancellationToken)
    {
        if (await _first.TakeAsync(cancellationToken) is { } split)
        {
            return split;
        }

        var second = await _second.Task.WaitAsync(cancellationToken);
        return await second.TakeAsync(cancellationToken);
    }

    /// <summary>Releases the readers with the second phase's splits (possibly none).</summary>
    public void Continue(IEnumerable<FileSplit> splits) => _second.TrySetResult(new LocalSplitQueue(splits));
}
