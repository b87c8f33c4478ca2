using System.Collections.Concurrent;

namespace Streams.Batch.Reading;

/// <summary>The splits of a run on one host, in the order given.</summary>
public sealed class LocalSplitQueue(IEnumerable<FileSplit> splits) : ISplitQueue
{
    private readonly ConcurrentQueue<FileSplit> _splits = new(splits);

    /// <inheritdoc />
    public ValueTask<FileSplit?> TakeAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_splits.TryDequeue(out var split) ? split : null);
}
