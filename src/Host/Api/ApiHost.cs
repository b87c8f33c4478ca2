using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streams.Api.Glue;
using Streams.Api.Query;
using Streams.Api.Registry;
using Streams.Host.Configuration;

namespace Streams.Host.Api;

/// <summary>
/// The HTTP API on Kestrel: each area maps its endpoints here (registry under <c>/registry</c>,
/// the Glue-compatible catalog API at <c>POST /</c>, query under <c>/query</c>).
/// </summary>
public static class ApiHost
{
    /// <summary>Builds the web application for <paramref name="options"/>, listening on <c>options.Api.Url</c>.</summary>
    public static WebApplication Build(StreamsOptions options, string[]? args = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(options.Api.Url);
        builder.Services.AddSingleton(options);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        // Area services: one line per area.
        builder.Services.AddSchemaRegistry(options.Postgres.ConnectionString);
        builder.Services.AddGlueCatalog(options.Postgres.ConnectionString, options.Lake, builder.Configuration);
        builder.Services.AddServingQuery(options.Postgres.ConnectionString);

        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));

        // Area endpoints: one line per area.
        app.MapSchemaRegistry();
        app.MapGlueApi();
        app.MapQuery();

        return app;
    }
}
