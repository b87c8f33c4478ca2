using Streams.Catalog.Postgres;
using Npgsql;
using Streams.Serving;
using Streams.Testing;

namespace Streams.Serving.Tests;

/// <summary>
/// A fresh database for one test, dropped afterwards together with its serving reader role (roles are
/// cluster-wide, so they would otherwise outlive the database).
/// </summary>
internal sealed class ServingDatabase : IAsyncDisposable
{
    private readonly TestDatabase _database;

    private ServingDatabase(TestDatabase database) => _database = database;

    public string ConnectionString => _database.ConnectionString;

    public static async Task<ServingDatabase> CreateAsync() => new(await TestPostgres.CreateDatabaseAsync());

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        await using var connection = new NpgsqlConnection(TestPostgres.ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP ROLE IF EXISTS {PostgresTypeMap.Quote(ServingMigrations.ReaderRoleName(_database.Name))}", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>An xunit class fixture giving a test class its own serving database.</summary>
public sealed class ServingDatabaseFixture : IAsyncLifetime
{
    private ServingDatabase? _database;

    public string ConnectionString => (_database ?? throw new InvalidOperationException("Not initialized.")).ConnectionString;

    public async Task InitializeAsync() => _database = await ServingDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
