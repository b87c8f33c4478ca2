using Microsoft.Extensions.Configuration;
using Npgsql;
using Streams.Catalog;
using Streams.Catalog.Store;
using Streams.Host.Configuration;

namespace Streams.Host.Cli;

/// <summary>What the catalog commands share: the configured catalog store.</summary>
internal sealed class CatalogCli : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private CatalogCli(StreamsOptions options, NpgsqlDataSource dataSource, CatalogStore store)
    {
        Options = options;
        _dataSource = dataSource;
        Store = store;
    }

    public StreamsOptions Options { get; }

    public CatalogStore Store { get; }

    /// <summary>Opens the catalog of the configured PostgreSQL (migrating it), or explains the missing setting.</summary>
    public static async Task<CatalogCli> OpenAsync(CancellationToken cancellationToken)
    {
        var configuration = StreamsConfiguration.Load();
        var options = StreamsConfiguration.BindOptions(configuration);
        var connectionString = PostgresConnection.Require(options);

        var dataSource = NpgsqlDataSource.Create(connectionString);
        return new CatalogCli(options, dataSource, await OpenStoreAsync(dataSource, cancellationToken));
    }

    /// <summary>The catalog store over <paramref name="dataSource"/> (migrated), with the configured secret key.</summary>
    public static async Task<CatalogStore> OpenStoreAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var catalog = new CatalogOptions();
        StreamsConfiguration.Load().GetSection(CatalogOptions.Section).Bind(catalog);
        var store = new CatalogStore(dataSource, new SecretProtector(catalog.SecretKey));
        await store.MigrateAsync(cancellationToken);
        return store;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
