using Prometheus;
using Streams.Streaming;
using Streams.Streaming.MicroBatches;
using Streams.Streaming.Monitoring;

namespace Streams.Api.Status;

/// <summary>
/// The speed layer's metrics in Prometheus form, per pipeline of the host's <see cref="SpeedLayerRegistry"/>:
/// counters (records in, rows out, dead letters, skipped, micro-batches) and gauges (pending records, freshness
/// p50/p99, consumer lag and position per partition) are read from each layer's <see cref="SpeedLayerMetrics"/>
/// when scraped; micro-batch size and duration are histograms observed as each micro-batch commits. A registry of
/// its own, so several hosts in one process (tests) do not share series.
/// </summary>
public sealed class SpeedMetricsExporter : IDisposable
{
    private static readonly string[] PipelineLabel = ["pipeline"];
    private static readonly string[] PartitionLabels = ["pipeline", "topic", "partition"];

    private readonly SpeedLayerRegistry _layers;
    private readonly TopicWatermarks? _watermarks;
    private readonly Counter _recordsIn;
    private readonly Counter _rowsOut;
    private readonly Counter _deadLetters;
    private readonly Counter _skipped;
    private readonly Counter _batches;
    private readonly Gauge _pending;
    private readonly Gauge _running;
    private readonly Gauge _freshness;
    private readonly Gauge _lag;
    private readonly Gauge _position;
    private readonly Histogram _batchRecords;
    private readonly Histogram _batchSeconds;
    private readonly Dictionary<SpeedLayer, Action<MicroBatchCommit>> _observers = [];
    private readonly HashSet<(string Pipeline, string Topic, string Partition)> _partitionSeries = [];
    private readonly Lock _lock = new();

    /// <summary>Exports the layers of <paramref name="layers"/>; lag needs <paramref name="watermarks"/> (without it, no lag series).</summary>
    public SpeedMetricsExporter(SpeedLayerRegistry layers, TopicWatermarks? watermarks)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers;
        _watermarks = watermarks;
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _recordsIn = factory.CreateCounter("streams_speed_records_in_total", "Records consumed and committed (as serving rows or dead letters).", PipelineLabel);
        _rowsOut = factory.CreateCounter("streams_speed_rows_out_total", "Rows written to the pipeline's serving output.", PipelineLabel);
        _deadLetters = factory.CreateCounter("streams_speed_dead_letters_total", "Records dead-lettered (schema or transform).", PipelineLabel);
        _skipped = factory.CreateCounter("streams_speed_skipped_total", "Records redelivered by Kafka but committed in PostgreSQL already, so skipped.", PipelineLabel);
        _batches = factory.CreateCounter("streams_speed_batches_total", "Micro-batches committed.", PipelineLabel);
        _pending = factory.CreateGauge("streams_speed_pending_records", "Records consumed and waiting in micro-batches.", PipelineLabel);
        _running = factory.CreateGauge("streams_speed_running", "1 while the pipeline's Streamiz application is RUNNING, else 0.", PipelineLabel);
        _freshness = factory.CreateGauge("streams_speed_freshness_seconds",
            "Seconds from a record's Kafka timestamp to its commit in PostgreSQL, over the recent records, by quantile.", ["pipeline", "quantile"]);
        _lag = factory.CreateGauge("streams_speed_consumer_lag_records", "Records on the broker not yet committed in PostgreSQL, per owned partition.", PartitionLabels);
        _position = factory.CreateGauge("streams_speed_position_offset", "The next offset the pipeline applies, per owned partition.", PartitionLabels);
        _batchRecords = factory.CreateHistogram("streams_speed_batch_records", "Records per committed micro-batch.", new HistogramConfiguration
        {
            LabelNames = PipelineLabel,
            Buckets = [1, 10, 100, 500, 1000, 5000, 10_000, 50_000],
        });
        _batchSeconds = factory.CreateHistogram("streams_speed_batch_duration_seconds", "Seconds to write and commit one micro-batch.", new HistogramConfiguration
        {
            LabelNames = PipelineLabel,
            Buckets = Histogram.ExponentialBuckets(0.001, 2, 14),
        });
        layers.Added += OnAdded;
        layers.Removed += OnRemoved;
        foreach (var (pipeline, layer) in layers.Layers)
        {
            OnAdded(pipeline, layer);
        }

        Registry.AddBeforeCollectCallback(Update);
    }

    /// <summary>The collector registry /metrics serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Stops observing the layers.</summary>
    public void Dispose()
    {
        _layers.Added -= OnAdded;
        _layers.Removed -= OnRemoved;
        lock (_lock)
        {
            foreach (var (layer, observer) in _observers)
            {
                layer.Metrics.BatchCommitted -= observer;
            }

            _observers.Clear();
        }
    }

    private void OnAdded(string pipeline, SpeedLayer layer)
    {
        var records = _batchRecords.WithLabels(pipeline);
        var seconds = _batchSeconds.WithLabels(pipeline);
        Action<MicroBatchCommit> observer = commit =>
        {
            records.Observe(commit.Result.Records);
            seconds.Observe(commit.Took.TotalSeconds);
        };
        lock (_lock)
        {
            if (_observers.TryAdd(layer, observer))
            {
                layer.Metrics.BatchCommitted += observer;
            }
        }
    }

    private void OnRemoved(string pipeline, SpeedLayer layer)
    {
        lock (_lock)
        {
            if (_observers.Remove(layer, out var observer))
            {
                layer.Metrics.BatchCommitted -= observer;
            }

            // A pipeline that stopped has no series: its counters would otherwise stay frozen at their last values.
            foreach (var counter in new[] { _recordsIn, _rowsOut, _deadLetters, _skipped, _batches })
            {
                counter.RemoveLabelled(pipeline);
            }

            _pending.RemoveLabelled(pipeline);
            _running.RemoveLabelled(pipeline);
            _batchRecords.RemoveLabelled(pipeline);
            _batchSeconds.RemoveLabelled(pipeline);

            _freshness.RemoveLabelled(pipeline, "0.5");
            _freshness.RemoveLabelled(pipeline, "0.99");
        }
    }

    private void Update()
    {
        var now = DateTime.UtcNow;
        var statuses = _layers.Layers.Select(e => (e.Pipeline, e.Layer, Status: SpeedLayerRegistry.StatusOf(e.Pipeline, e.Layer, _watermarks, now))).ToList();
        lock (_lock)
        {
            var seen = new HashSet<(string, string, string)>();
            foreach (var (pipeline, layer, status) in statuses)
            {
                var metrics = layer.Metrics;
                _recordsIn.WithLabels(pipeline).IncTo(metrics.RecordsIn);
                _rowsOut.WithLabels(pipeline).IncTo(metrics.RowsOut);
                _deadLetters.WithLabels(pipeline).IncTo(metrics.DeadLetters);
                _skipped.WithLabels(pipeline).IncTo(metrics.SkippedAsCommitted);
                _batches.WithLabels(pipeline).IncTo(metrics.Batches);
                _pending.WithLabels(pipeline).Set(metrics.PendingRecords);
                _running.WithLabels(pipeline).Set(status.State == "RUNNING" ? 1 : 0);
                if (status.FreshnessP50 is { } p50)
                {
                    _freshness.WithLabels(pipeline, "0.5").Set(p50);
                }

                if (status.FreshnessP99 is { } p99)
                {
                    _freshness.WithLabels(pipeline, "0.99").Set(p99);
                }

                foreach (var partition in status.Partitions)
                {
                    var key = (pipeline, status.Topic, partition.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    seen.Add(key);
                    _partitionSeries.Add(key);
                    _position.WithLabels(key.Item1, key.Item2, key.Item3).Set(partition.NextOffset ?? 0);
                    if (partition.Lag is { } lag)
                    {
                        _lag.WithLabels(key.Item1, key.Item2, key.Item3).Set(lag);
                    }
                }
            }

            // Partitions this process no longer owns (revoked, or the pipeline stopped) leave the page.
            foreach (var gone in _partitionSeries.Where(k => !seen.Contains(k)).ToList())
            {
                _position.RemoveLabelled(gone.Pipeline, gone.Topic, gone.Partition);
                _lag.RemoveLabelled(gone.Pipeline, gone.Topic, gone.Partition);
                _partitionSeries.Remove(gone);
            }
        }
    }
}
