using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Streams.Batch.Reading;

/// <summary>
/// Reads splits with <c>N</c> readers in parallel into one bounded channel that the transform step drains:
/// memory stays bounded by the channel's capacity whatever the size of the lake, and readers wait while
/// the transform step is behind.
/// </summary>
/// <param name="reader">Reads one split.</param>
/// <param name="readers">How many splits are read at once.</param>
/// <param name="capacity">How many chunks may wait in the channel (default: four per reader).</param>
public sealed class ParallelSplitReader(SplitReader reader, int readers, int? capacity = null)
{
    /// <summary>Every chunk of every split <paramref name="queue"/> hands out; a split's chunks arrive in order, ending with its <see cref="SplitChunk.Done"/>.</summary>
    public async IAsyncEnumerable<SplitChunk> ReadAsync(ISplitQueue queue, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(readers, 1);
        var channel = Channel.CreateBounded<SplitChunk>(new BoundedChannelOptions(capacity ?? readers * 4)
        {
            SingleReader = true,
            SingleWriter = readers == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = Enumerable.Range(0, readers).Select(_ => Task.Run(() => WorkAsync(queue, channel.Writer, stop.Token), stop.Token)).ToArray();
        var completion = Task.WhenAll(workers).ContinueWith(t => channel.Writer.TryComplete(t.Exception?.GetBaseException()),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await foreach (var chunk in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return chunk;
            }
        }
        finally
        {
            // The consumer stopped (done, failed or cancelled): stop the readers and wait for them.
            await stop.CancelAsync();
            try
            {
                await completion;
                await Task.WhenAll(workers);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task WorkAsync(ISplitQueue queue, ChannelWriter<SplitChunk> writer, CancellationToken cancellationToken)
    {
        while (await queue.TakeAsync(cancellationToken) is { } split)
        {
            await foreach (var chunk in reader.ReadAsync(split, cancellationToken))
            {
                await writer.WriteAsync(chunk, cancellationToken);
            }
        }
    }
}
