using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Streams.Host.Api.Health;

/// <summary>
/// <c>GET /health</c> (readiness): every dependency with its state and latency, 200 when all are up, 503 when one
/// is down. <c>GET /health/live</c> (liveness): 200 while the process serves requests, touching no dependency.
/// </summary>
internal static class HealthEndpoints
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.TryAddSingleton<HealthChecker>();
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new
        {
            status = "ok", version = StreamsVersion.Host, librdkafka = StreamsVersion.Librdkafka,
        }));
        app.MapGet("/health", async (HealthChecker checker, CancellationToken cancellationToken) =>
        {
            var dependencies = await checker.CheckAsync(cancellationToken);
            var up = dependencies.All(d => d.State == DependencyHealth.Up);
            return Results.Json(new
            {
                status = up ? "ok" : "unavailable",
                version = StreamsVersion.Host,
                librdkafka = StreamsVersion.Librdkafka,
                dependencies = dependencies.ToDictionary(d => d.Name, d => new { state = d.State, latencyMs = d.LatencyMs, error = d.Error }),
            }, statusCode: up ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
