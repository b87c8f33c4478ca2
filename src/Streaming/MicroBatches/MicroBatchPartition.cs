using System.Diagnostics;

namespace Streams.Streaming.MicroBatches;

/// <summary>
/// The micro-batch of one source partition: gathers consumed records until <see cref="MicroBatchBounds.MaxRecords"/>
/// or <see cref="MicroBatchBounds.MaxInterval"/>, then writes them with <see cref="IMicroBatchWriter"/>.
/// Records at or before the position PostgreSQL has committed for the partition are skipped: after a crash,
/// Kafka redelivers from its own (older) committed offset, and what was written already is not applied twice.
/// </summary>
/// <remarks>
/// Called from the Streamiz stream thread that owns the task. A micro-batch due by time is written off that
/// thread, so the partitions of one thread write (decode, transform, commit) side by side instead of one after
/// another; at most one write per partition is in flight, so its batches still commit in offset order. While one
/// is in flight, records gather into the next batch; a batch full by count waits for it. <see cref="Flush"/>
/// (Streamiz's commit, revoke and close) waits until everything gathered is committed, so Kafka's committed offset
/// never runs ahead of PostgreSQL. A write that failed is thrown on the stream thread at the next call.
/// </remarks>
public sealed class MicroBatchPartition : IDisposable
{
    private readonly IMicroBatchWriter _writer;
    private readonly MicroBatchBounds _bounds;
    private readonly SpeedLayerMetrics _metrics;
    private List<KafkaRecord> _pending;
    private Task _writing = Task.CompletedTask;
    private long _firstAddedAt;
    private long _next;

    /// <summary>Opens the partition: loads its committed position through <paramref name="writer"/>.</summary>
    public MicroBatchPartition(string topic, int partition, IMicroBatchWriter writer, MicroBatchBounds bounds, SpeedLayerMetrics metrics)
    {
        Topic = topic;
        Partition = partition;
        _writer = writer;
        _bounds = bounds;
        _metrics = metrics;
        _pending = NewBatch();
        _next = writer.OpenAsync(CancellationToken.None).GetAwaiter().GetResult() ?? 0;
        metrics.Assigned(topic, partition, _next);
    }

    /// <summary>The source topic.</summary>
    public string Topic { get; }

    /// <summary>The source partition.</summary>
    public int Partition { get; }

    /// <summary>
    /// The next offset to apply: every offset before it is committed in PostgreSQL, being written, or pending here
    /// (offsets need not be consecutive: compaction and transaction markers leave gaps).
    /// </summary>
    public long NextOffset => _next;

    /// <summary>How often the time bound is checked.</summary>
    public TimeSpan PunctuationInterval => TimeSpan.FromMilliseconds(Math.Max(10, _bounds.MaxInterval.TotalMilliseconds / 4));

    /// <summary>Adds a consumed record; writes the micro-batch when it is full.</summary>
    public void Add(KafkaRecord record)
    {
        ThrowIfWriteFailed();
        if (record.Offset < _next)
        {
            // Committed before a restart or rebalance: Kafka's offsets lag PostgreSQL's.
            _metrics.Skipped(record.Topic, record.Partition);
            return;
        }

        if (_pending.Count == 0)
        {
            _firstAddedAt = Stopwatch.GetTimestamp();
        }

        _pending.Add(record);
        _next = record.Offset + 1;
        if (_pending.Count >= _bounds.MaxRecords)
        {
            WaitForWrite();
            StartWrite();
        }
        else
        {
            _metrics.Pending(Topic, Partition, _pending.Count);
        }
    }

    /// <summary>Starts writing the micro-batch if its first record has waited for the time bound and no write is in flight.</summary>
    public void FlushIfDue()
    {
        ThrowIfWriteFailed();
        if (_pending.Count > 0 && _writing.IsCompleted && Stopwatch.GetElapsedTime(_firstAddedAt) >= _bounds.MaxInterval)
        {
            StartWrite();
        }
    }

    /// <summary>Writes everything gathered and waits until it is committed (Streamiz's commit calls this through the store).</summary>
    public void Flush()
    {
        WaitForWrite();
        if (_pending.Count > 0)
        {
            StartWrite();
            WaitForWrite();
        }
    }

    /// <summary>
    /// Waits for the write in flight, then releases the writer; records still pending were not committed, and Kafka
    /// redelivers them to the partition's next owner (Streamiz's commit flushed them first on a clean revoke).
    /// </summary>
    public void Dispose()
    {
        try
        {
            _writing.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Its batch did not commit: PostgreSQL's position still precedes it, so it is read again.
        }

        _metrics.Revoked(Topic, Partition);
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private void StartWrite()
    {
        var batch = _pending;
        _pending = NewBatch();
        _metrics.Pending(Topic, Partition, 0);
        // Off the stream thread: the writer's work (decode, transforms, the transaction) is not the thread's to wait for.
        _writing = Task.Run(() => WriteAsync(batch));
    }

    private async Task WriteAsync(List<KafkaRecord> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await _writer.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
        _metrics.Committed(Topic, Partition, batch, result, Stopwatch.GetElapsedTime(started));
    }

    private void WaitForWrite() => _writing.GetAwaiter().GetResult();

    private void ThrowIfWriteFailed()
    {
        if (_writing.IsFaulted)
        {
            WaitForWrite();
        }
    }

    private List<KafkaRecord> NewBatch() => new(Math.Min(_bounds.MaxRecords, 65_536));
}
