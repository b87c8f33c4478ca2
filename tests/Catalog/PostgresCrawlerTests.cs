using Npgsql;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Model;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Testing;

namespace Streams.Catalog.Tests;

/// <summary>Crawls PostgreSQL tables through information_schema with a JDBC connection whose password is stored encrypted.</summary>
public sealed class PostgresCrawlerTests : IAsyncLifetime
{
    private TestDatabase? _database;

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public async Task DisposeAsync() => await _database!.DisposeAsync();

    [Fact]
    public async Task Reads_table_columns_and_types_of_a_schema()
    {
        await using (var connection = new NpgsqlConnection(_database!.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                CREATE SCHEMA shop;
                CREATE TABLE shop.orders (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL, placed timestamptz, tags text[], paid boolean);
                CREATE TABLE shop.customers (id integer, name varchar(40), born date);
                CREATE TABLE shop.audit_log (id integer);
                """, connection);
            await command.ExecuteNonQueryAsync();
        }

        var store = new CatalogStore(NpgsqlDataSource.Create(_database.ConnectionString),
            new SecretProtector(Convert.ToBase64String(new byte[32])));
        await store.MigrateAsync();
        await store.CreateDatabaseAsync(new DatabaseInput { Name = "pg" });
        var server = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        await store.CreateConnectionAsync(new ConnectionInput
        {
            Name = "shopdb",
            ConnectionType = "JDBC",
            ConnectionProperties = new()
            {
                ["JDBC_CONNECTION_URL"] = $"jdbc:postgresql://{server.Host}:{server.Port}/{server.Database}",
                ["USERNAME"] = server.Username ?? "postgres",
                ["PASSWORD"] = server.Password ?? "unused",
            },
        });
        await store.CreateCrawlerAsync(new CrawlerInput
        {
            Name = "pg-crawler",
            DatabaseName = "pg",
            Targets = new CrawlerTargets
            {
                JdbcTargets = [new JdbcTarget { ConnectionName = "shopdb", Path = $"{server.Database}/shop/%", Exclusions = ["**/audit_*"] }],
            },
        });

        var run = await new CrawlerService(store, new LakeStorageProvider(new LakeOptions())).RunAsync("pg-crawler", null, CancellationToken.None);

        run.Status.Should().Be("SUCCEEDED", run.Error);
        run.TablesCreated.Should().Be(2);
        var orders = await store.GetTableAsync("pg", $"{server.Database}_shop_orders");
        orders.StorageDescriptor!.Columns!.Select(c => $"{c.Name}:{c.Type}").Should().Equal(
            "id:bigint", "amount:decimal(12,2)", "placed:timestamp", "tags:array<string>", "paid:boolean");
        orders.StorageDescriptor.Columns![1].Parameters!["nullable"].Should().Be("false");
        orders.Parameters!["classification"].Should().Be("postgresql");
        orders.StorageDescriptor.Location.Should().Be($"{server.Database}.shop.orders");
        var customers = await store.GetTableAsync("pg", $"{server.Database}_shop_customers");
        customers.StorageDescriptor!.Columns!.Select(c => c.Type).Should().Equal("int", "string", "date");
    }
}
