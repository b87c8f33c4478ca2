using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Streams.Catalog;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Streaming.Kafka;

namespace Streams.Api.Glue;

/// <summary>Registers the catalog, its crawlers and the Glue API's services.</summary>
public static class CatalogServiceCollectionExtensions
{
    /// <summary>
    /// Adds the catalog over the PostgreSQL at <paramref name="connectionString"/> and the lake of
    /// <paramref name="lake"/>, with <see cref="CatalogOptions"/> bound from <paramref name="configuration"/>'s
    /// <c>Streams:Catalog</c> section. Migrations are applied when the host starts.
    /// </summary>
    public static IServiceCollection AddGlueCatalog(this IServiceCollection services, string connectionString, LakeOptions lake,
        IConfiguration configuration)
    {
        var options = new CatalogOptions();
        configuration.GetSection(CatalogOptions.Section).Bind(options);
        return services.AddGlueCatalog(connectionString, lake, options);
    }

    /// <summary>Adds the catalog with explicit <paramref name="options"/>.</summary>
    public static IServiceCollection AddGlueCatalog(this IServiceCollection services, string connectionString, LakeOptions lake,
        CatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(options);
        var protector = new SecretProtector(options.SecretKey);
        services.AddSingleton(options);
        services.AddSingleton(_ => new CatalogStore(NpgsqlDataSource.Create(connectionString), protector));
        services.AddSingleton(_ => new LakeStorageProvider(lake));
        services.AddSingleton<CrawlerService>();
        services.TryAddSingleton<IKafkaTopicLister, KafkaTopicLister>();
        services.AddSingleton<IGlueOperationSet, CatalogGlueOperations>();
        services.AddSingleton<GlueOperationTable>();
        services.AddSingleton(new SigV4Verifier(options.AccessKeys, TimeProvider.System));
        services.AddHostedService<CatalogStartup>();
        return services;
    }

    /// <summary>Applies migrations and recovers runs interrupted by a previous stop, before the API serves.</summary>
    private sealed class CatalogStartup(CatalogStore store, CrawlerService crawlers) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await store.MigrateAsync(cancellationToken);
            await store.RecoverInterruptedRunsAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => crawlers.StopAllAsync();
    }
}
