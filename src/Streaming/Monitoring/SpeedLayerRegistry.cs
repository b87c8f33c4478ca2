using System.Collections.Concurrent;

namespace Streams.Streaming.Monitoring;

/// <summary>
/// The speed-layer pipelines running in this process, for <c>/metrics</c> and <c>/api/status</c>: a singleton the
/// host owns (<c>streams serve</c>, <c>streams dev</c>, or <c>streams stream</c> with a metrics URL). Whoever starts a
/// <see cref="SpeedLayer"/> registers it under its pipeline name and disposes the registration when it stops.
/// </summary>
public sealed class SpeedLayerRegistry
{
    private readonly ConcurrentDictionary<string, SpeedLayer> _layers = new(StringComparer.Ordinal);

    /// <summary>Raised when a layer is registered (a metrics exporter subscribes to its micro-batches here).</summary>
    public event Action<string, SpeedLayer>? Added;

    /// <summary>Raised when a registration is disposed.</summary>
    public event Action<string, SpeedLayer>? Removed;

    /// <summary>The running pipelines, by name.</summary>
    public IReadOnlyList<(string Pipeline, SpeedLayer Layer)> Layers =>
        [.. _layers.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value))];

    /// <summary>Adds <paramref name="layer"/> as <paramref name="pipeline"/>; dispose the result to remove it.</summary>
    /// <exception cref="InvalidOperationException">A pipeline of that name is registered already.</exception>
    public IDisposable Register(string pipeline, SpeedLayer layer)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentNullException.ThrowIfNull(layer);
        if (!_layers.TryAdd(pipeline, layer))
        {
            throw new InvalidOperationException($"Pipeline '{pipeline}' already runs in this process; stop it before starting it again.");
        }

        Added?.Invoke(pipeline, layer);
        return new Registration(this, pipeline, layer);
    }

    /// <summary>The status of every running pipeline; lag comes from <paramref name="watermarks"/> when given.</summary>
    public IReadOnlyList<PipelineStatus> Snapshot(TopicWatermarks? watermarks, DateTime now) =>
        [.. Layers.Select(e => StatusOf(e.Pipeline, e.Layer, watermarks, now))];

    /// <summary>The status of one layer.</summary>
    public static PipelineStatus StatusOf(string pipeline, SpeedLayer layer, TopicWatermarks? watermarks, DateTime now)
    {
        var metrics = layer.Metrics;
        var owned = metrics.Partitions;
        var offsets = watermarks?.Query(layer.Topic, owned.Select(p => p.Partition)) ?? new Dictionary<int, (long, long)>();
        var partitions = owned.Select(p => offsets.TryGetValue(p.Partition, out var o)
            ? new PartitionStatus(p.Partition, p.NextOffset, o.Low, o.High, p.Pending)
            : new PartitionStatus(p.Partition, p.NextOffset, null, null, p.Pending)).ToList();
        return new PipelineStatus(pipeline, layer.Topic, layer.State, metrics.RecordsIn, metrics.RowsOut, metrics.DeadLetters,
            metrics.RecordsPerSecond(now), metrics.FreshnessQuantile(0.5), metrics.FreshnessQuantile(0.99), metrics.LastCommitAt, partitions);
    }

    private sealed class Registration(SpeedLayerRegistry owner, string pipeline, SpeedLayer layer) : IDisposable
    {
        public void Dispose()
        {
            if (owner._layers.TryRemove(new KeyValuePair<string, SpeedLayer>(pipeline, layer)))
            {
                owner.Removed?.Invoke(pipeline, layer);
            }
        }
    }
}
