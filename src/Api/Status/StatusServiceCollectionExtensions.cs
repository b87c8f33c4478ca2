using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Streams.Streaming.Kafka;
using Streams.Streaming.Monitoring;

namespace Streams.Api.Status;

/// <summary>Registers what <c>/metrics</c> and <c>/api/status</c> read: the host's speed layers, broker watermarks and the Prometheus exporter.</summary>
public static class StatusServiceCollectionExtensions
{
    /// <summary>
    /// Adds the host's <see cref="SpeedLayerRegistry"/> (a singleton: a host that runs pipelines registers each
    /// layer there, or passes its own <paramref name="layers"/>), the watermark reader for lag on <paramref name="kafka"/>
    /// (none without bootstrap servers) and the <see cref="SpeedMetricsExporter"/>.
    /// </summary>
    public static IServiceCollection AddStatus(this IServiceCollection services, KafkaOptions kafka, SpeedLayerRegistry? layers = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(kafka);
        if (layers is not null)
        {
            services.TryAddSingleton(layers);
        }
        else
        {
            services.TryAddSingleton<SpeedLayerRegistry>();
        }

        services.TryAddSingleton(_ => new StatusSources(string.IsNullOrWhiteSpace(kafka.BootstrapServers)
            ? null
            : new Lazy<TopicWatermarks>(() => new TopicWatermarks(new KafkaClientFactory(kafka)))));
        services.TryAddSingleton(provider =>
            new SpeedMetricsExporter(provider.GetRequiredService<SpeedLayerRegistry>(), provider.GetRequiredService<StatusSources>().Watermarks));
        return services;
    }
}
