using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Streams.Api.Status;
using Streams.Streaming.Kafka;
using Streams.Streaming.Monitoring;

namespace Streams.Host.Api;

/// <summary>
/// The small web host of <c>streams stream --metrics-url</c>: only the status area (<c>/metrics</c>,
/// <c>/api/status</c>) over the process's own <see cref="SpeedLayerRegistry"/>.
/// </summary>
public static class MetricsHost
{
    /// <summary>Builds the host listening on <paramref name="url"/>, reporting the layers of <paramref name="layers"/>.</summary>
    public static WebApplication Build(string url, KafkaOptions kafka, SpeedLayerRegistry layers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url);
        builder.Services.AddStatus(kafka, layers);
        var app = builder.Build();
        app.MapStatus();
        return app;
    }
}
