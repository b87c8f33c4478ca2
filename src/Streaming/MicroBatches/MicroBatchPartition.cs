using System.Diagnostics;

namespace Streams.Streaming.MicroBatches;

/// <summary>
/// The micro-batch of one source partition: gathers consumed records until <see cref="MicroBatchBounds.MaxRecords"/>
/// or <see cref="MicroBatchBounds.MaxInterval"/>, then writes them with <see cref="IMicroBatchWriter"/>.
/// Records at or before the position PostgreSQL has committed for the partition are skipped: after a crash,
/// Kafka redelivers from its own (older) committed offset, and what was written already is not applied twice.
/// Runs on the Streamiz stream thread that owns the task, so it blocks on the writer.
/// </summary>
public sealed class MicroBatchPartition : IDisposable
{
    private readonly IMicroBatchWriter _writer;
    private readonly MicroBatchBounds _bounds;
    private readonly SpeedLayerMetrics _metrics;
    private readonly List<KafkaRecord> _pending;
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
        _pending = new List<KafkaRecord>(Math.Min(bounds.MaxRecords, 65_536));
        _next = writer.OpenAsync(CancellationToken.None).GetAwaiter().GetResult() ?? 0;
        metrics.Assigned(topic, partition, _next);
    }

    /// <summary>The source topic.</summary>
    public string Topic { get; }

    /// <summary>The source partition.</summary>
    public int Partition { get; }

    /// <summary>
    /// The next offset to apply: every offset before it is committed in PostgreSQL or pending here (offsets
    /// need not be consecutive: compaction and transaction markers leave gaps).
    /// </summary>
    public long NextOffset => _pending.Count > 0 ? _pending[^1].Offset + 1 : _next;

    /// <summary>How often the time bound is checked.</summary>
    public TimeSpan PunctuationInterval => TimeSpan.FromMilliseconds(Math.Max(10, _bounds.MaxInterval.TotalMilliseconds / 4));

    /// <summary>Adds a consumed record; writes the micro-batch when it is full.</summary>
    public void Add(KafkaRecord record)
    {
        if (record.Offset < NextOffset)
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
        if (_pending.Count >= _bounds.MaxRecords)
        {
            Flush();
        }
        else
        {
            _metrics.Pending(Topic, Partition, _pending.Count);
        }
    }

    /// <summary>Writes the micro-batch if its first record has waited for the time bound.</summary>
    public void FlushIfDue()
    {
        if (_pending.Count > 0 && Stopwatch.GetElapsedTime(_firstAddedAt) >= _bounds.MaxInterval)
        {
            Flush();
        }
    }

    /// <summary>Writes the micro-batch now (Streamiz's commit calls this through the store).</summary>
    public void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var result = _writer.WriteAsync(_pending, CancellationToken.None).GetAwaiter().GetResult();
        _metrics.Committed(Topic, Partition, _pending, result, Stopwatch.GetElapsedTime(started));
        _next = _pending[^1].Offset + 1;
        _pending.Clear();
    }

    /// <summary>Releases the writer; pending records were flushed by Streamiz's commit, or are redelivered.</summary>
    public void Dispose()
    {
        _metrics.Revoked(Topic, Partition);
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
