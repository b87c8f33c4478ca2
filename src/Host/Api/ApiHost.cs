using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streams.Api.Console;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Streams.Api.Glue;
using Streams.Api.Jobs;
using Streams.Api.Kafka;
using Streams.Api.Query;
using Streams.Api.Registry;
using Streams.Api.Status;
using Streams.Host.Api.Health;
using Streams.Host.Configuration;
using Streams.Jobs;
using Streams.Jobs.Runs;
using Streams.Streaming.Kafka;

namespace Streams.Host.Api;

/// <summary>
/// The HTTP API on Kestrel: each area maps its endpoints here (registry under <c>/registry</c>,
/// the Glue-compatible catalog API at <c>POST /</c>, query under <c>/query</c>, topics under <c>/kafka/topics</c>,
/// speed-layer metrics at <c>/metrics</c> and status at <c>/api/status</c>, the console at <c>/ui</c>).
/// </summary>
public static class ApiHost
{
    /// <summary>
    /// Builds the web application for <paramref name="options"/>, listening on <c>options.Api.Url</c>;
    /// <paramref name="embeddedKafka"/> is the dev stack's in-process broker, when it runs one.
    /// </summary>
    public static WebApplication Build(StreamsOptions options, string[]? args = null, MockKafkaCluster? embeddedKafka = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(options.Api.Url);
        builder.WebHost.ConfigureKestrel(ApiErrorMiddleware.ConfigureKestrel);
        builder.Services.AddSingleton(options);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        // Area services: one line per area.
        builder.Services.AddSchemaRegistry(options.Postgres.ConnectionString);
        builder.Services.AddGlueCatalog(options.Postgres.ConnectionString, options.Lake, builder.Configuration);
        builder.Services.AddGlueJobs(options.Postgres.ConnectionString, JobsOptionsOf(builder.Configuration), sp => StreamingOf(options, sp));
        builder.Services.AddGlueSchemaRegistry(builder.Configuration);
        builder.Services.AddServingQuery(options.Postgres.ConnectionString);
        builder.Services.AddTopicManager(options.Kafka, embeddedKafka);
        builder.Services.AddStatus(options.Kafka);
        builder.Services.AddHealth();
        builder.Services.AddConsole(options.Postgres.ConnectionString, new ConsoleOptions
        {
            RegistryPath = builder.Configuration[SchemaRegistryEndpoints.PathBaseKey] ?? SchemaRegistryEndpoints.DefaultPathBase,
            Version = StreamsVersion.Host,
        });

        var app = builder.Build();
        app.UseMiddleware<ApiErrorMiddleware>();
        app.MapHealth();

        // Area endpoints: one line per area.
        app.MapSchemaRegistry();
        app.MapGlueApi();
        app.MapQuery();
        app.MapTopics();
        app.MapStatus();
        app.MapConsole();

        return app;
    }

    private static JobsOptions JobsOptionsOf(IConfiguration configuration)
    {
        var jobs = new JobsOptions();
        configuration.GetSection(JobsOptions.Section).Bind(jobs);
        return jobs;
    }

    /// <summary>What streaming jobs run against in this host: its Kafka, and its own registry over HTTP (the URL is known once Kestrel listens).</summary>
    private static StreamingEnvironment? StreamingOf(StreamsOptions options, IServiceProvider services)
    {
        if (string.IsNullOrWhiteSpace(options.Kafka.BootstrapServers))
        {
            return null;
        }

        var pathBase = services.GetService<IConfiguration>()?[SchemaRegistryEndpoints.PathBaseKey] ?? SchemaRegistryEndpoints.DefaultPathBase;
        return new StreamingEnvironment(options.Kafka, services.GetRequiredService<TopicManager>(), () =>
        {
            var address = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Api.Url;
            return new Streams.Registry.Client.CachedSchemaRegistryClient(address.TrimEnd('/') + (pathBase == "/" ? "" : pathBase));
        })
        {
            SessionTimeout = options.Speed.SessionTimeout,
            KafkaCommitInterval = options.Speed.KafkaCommitInterval,
            Threads = options.Speed.Threads,
            Archive = string.IsNullOrWhiteSpace(options.Lake.Root) ? null : services.GetRequiredService<Streams.Catalog.Storage.LakeStorageProvider>().Storage,
            ArchiveOptions = new Streams.Streaming.Archive.ArchiveOptions { MaxFileBytes = options.Speed.ArchiveFileBytes, MaxFileAge = options.Speed.ArchiveFileAge },
            Layers = services.GetRequiredService<Streams.Streaming.Monitoring.SpeedLayerRegistry>(),
        };
    }
}
