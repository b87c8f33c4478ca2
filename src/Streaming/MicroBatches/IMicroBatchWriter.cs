namespace Streams.Streaming.MicroBatches;

/// <summary>
/// Writes the micro-batches of one source partition: every record to the pipeline's outputs or its dead
/// letters, with the partition's position, in one step. One per partition, used from one thread.
/// </summary>
public interface IMicroBatchWriter : IAsyncDisposable
{
    /// <summary>Loads what is committed for the partition: the next offset to apply (null: nothing yet) and the state committed with it.</summary>
    Task<long?> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="records"/> (consecutive, in offset order) and commits the position after the last one.</summary>
    Task<MicroBatchResult> WriteAsync(IReadOnlyList<KafkaRecord> records, CancellationToken cancellationToken);
}
