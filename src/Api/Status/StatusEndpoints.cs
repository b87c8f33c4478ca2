using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Streams.Streaming.Monitoring;

namespace Streams.Api.Status;

/// <summary>
/// <c>GET /metrics</c>: the speed layer's metrics in Prometheus text format (<see cref="SpeedMetricsExporter"/>);
/// <c>GET /api/status</c>: the pipelines running in this host as JSON (<see cref="StatusResponse"/>): state,
/// records/s, lag, freshness p50/p99, dead letters and last commit per pipeline, and each owned partition.
/// </summary>
public static class StatusEndpoints
{
    /// <summary>Maps both endpoints. Needs the services of <see cref="StatusServiceCollectionExtensions.AddStatus"/>.</summary>
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var exporter = endpoints.ServiceProvider.GetRequiredService<SpeedMetricsExporter>();
        var layers = endpoints.ServiceProvider.GetRequiredService<SpeedLayerRegistry>();
        var sources = endpoints.ServiceProvider.GetRequiredService<StatusSources>();
        endpoints.MapMetrics("/metrics", exporter.Registry);
        endpoints.MapGet("/api/status", () => Results.Json(StatusResponse.From(layers.Snapshot(sources.Watermarks, DateTime.UtcNow), DateTime.UtcNow)));
        return endpoints;
    }
}
