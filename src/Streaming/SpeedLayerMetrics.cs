using System.Collections.Concurrent;
using Streams.Streaming.MicroBatches;

namespace Streams.Streaming;

/// <summary>
/// What one speed-layer process has done, for the progress line, <c>streams status</c> and /metrics:
/// records in, rows out, dead letters, records skipped as already committed, micro-batch sizes and
/// durations, per-partition positions, and freshness (Kafka record timestamp to PostgreSQL commit).
/// Updated by the stream threads, read by anyone.
/// </summary>
public sealed class SpeedLayerMetrics
{
    private const int FreshnessSamples = 8192;

    // Why a window of commits: records/s over the last seconds, not since start, is what a status page means.
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<(string Topic, int Partition), PartitionMetrics> _partitions = new();
    private readonly double[] _freshness = new double[FreshnessSamples];
    private readonly Lock _lock = new();
    private long _freshnessCount;
    private long _recordsIn;
    private long _rowsOut;
    private long _deadLetters;
    private long _skipped;
    private long _batches;
    private long _lastBatchRecords;
    private double _lastBatchSeconds;
    private double _batchSecondsTotal;
    private readonly Queue<(DateTime At, int Records)> _recent = new();
    private DateTime? _lastCommitAt;

    /// <summary>Raised after every committed micro-batch (on the stream thread: keep it short).</summary>
    public event Action<MicroBatchCommit>? BatchCommitted;

    /// <summary>Records consumed and written (as rows or dead letters).</summary>
    public long RecordsIn => Interlocked.Read(ref _recordsIn);

    /// <summary>Rows written to the main output.</summary>
    public long RowsOut => Interlocked.Read(ref _rowsOut);

    /// <summary>Records dead-lettered.</summary>
    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>Records redelivered by Kafka but committed in PostgreSQL already, so skipped.</summary>
    public long SkippedAsCommitted => Interlocked.Read(ref _skipped);

    /// <summary>Micro-batches committed.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Records in the last micro-batch.</summary>
    public long LastBatchRecords => Interlocked.Read(ref _lastBatchRecords);

    /// <summary>Seconds the last micro-batch took to write.</summary>
    public double LastBatchSeconds => Volatile.Read(ref _lastBatchSeconds);

    /// <summary>Seconds all micro-batches took to write.</summary>
    public double BatchSecondsTotal => Volatile.Read(ref _batchSecondsTotal);

    /// <summary>When the last micro-batch committed in PostgreSQL (UTC), or null before any.</summary>
    public DateTime? LastCommitAt
    {
        get
        {
            lock (_lock)
            {
                return _lastCommitAt;
            }
        }
    }

    /// <summary>Records committed per second over the last ten seconds (at <paramref name="now"/>, UTC).</summary>
    public double RecordsPerSecond(DateTime now)
    {
        lock (_lock)
        {
            Prune(now);
            return _recent.Sum(r => (double)r.Records) / RateWindow.TotalSeconds;
        }
    }

    /// <summary>Records consumed and waiting in micro-batches.</summary>
    public long PendingRecords => _partitions.Values.Sum(p => (long)p.Pending);

    /// <summary>The partitions this process owns now, with the next offset each will apply.</summary>
    public IReadOnlyList<PartitionMetrics> Partitions =>
        [.. _partitions.Values.Where(p => p.Assigned).OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition)];

    /// <summary>A freshness quantile in seconds (record timestamp to commit) over the recent records, or null before any.</summary>
    public double? FreshnessQuantile(double quantile)
    {
        double[] copy;
        lock (_lock)
        {
            var count = (int)Math.Min(_freshnessCount, FreshnessSamples);
            if (count == 0)
            {
                return null;
            }

            copy = _freshness[..count];
        }

        Array.Sort(copy);
        return copy[(int)Math.Clamp(Math.Ceiling(quantile * copy.Length) - 1, 0, copy.Length - 1)];
    }

    internal void Assigned(string topic, int partition, long nextOffset)
    {
        var metrics = _partitions.GetOrAdd((topic, partition), key => new PartitionMetrics(key.Topic, key.Partition));
        metrics.NextOffset = nextOffset;
        metrics.Assigned = true;
    }

    internal void Revoked(string topic, int partition)
    {
        if (_partitions.TryGetValue((topic, partition), out var metrics))
        {
            metrics.Assigned = false;
            metrics.Pending = 0;
        }
    }

    internal void Skipped(string topic, int partition) => Interlocked.Increment(ref _skipped);

    internal void Pending(string topic, int partition, int records)
    {
        if (_partitions.TryGetValue((topic, partition), out var metrics))
        {
            metrics.Pending = records;
        }
    }

    internal void Committed(string topic, int partition, IReadOnlyList<KafkaRecord> records, MicroBatchResult result, TimeSpan took)
    {
        Interlocked.Add(ref _recordsIn, result.Records);
        Interlocked.Add(ref _rowsOut, result.Rows);
        Interlocked.Add(ref _deadLetters, result.DeadLetters);
        Interlocked.Increment(ref _batches);
        Interlocked.Exchange(ref _lastBatchRecords, result.Records);
        Volatile.Write(ref _lastBatchSeconds, took.TotalSeconds);
        lock (_lock)
        {
            _batchSecondsTotal += took.TotalSeconds;
            _lastCommitAt = result.CommittedAt;
            _recent.Enqueue((result.CommittedAt, result.Records));
            Prune(result.CommittedAt);
            foreach (var record in records)
            {
                _freshness[_freshnessCount++ % FreshnessSamples] = Math.Max(0, (result.CommittedAt - record.Timestamp).TotalSeconds);
            }
        }

        if (_partitions.TryGetValue((topic, partition), out var metrics))
        {
            metrics.NextOffset = records[^1].Offset + 1;
        }

        BatchCommitted?.Invoke(new MicroBatchCommit(topic, partition, records[0].Offset, records[^1].Offset, result, took));
    }

    private void Prune(DateTime now)
    {
        while (_recent.TryPeek(out var oldest) && now - oldest.At > RateWindow)
        {
            _recent.Dequeue();
        }
    }
}
