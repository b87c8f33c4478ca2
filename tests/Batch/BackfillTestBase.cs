using Npgsql;
using Streams.Testing;

namespace Streams.Batch.Tests;

/// <summary>What each backfill test class starts from: a lake of 6,000 rows in Parquet and Avro tables, and a database of its own.</summary>
public abstract class BackfillTestBase : IAsyncLifetime
{
    /// <summary>The batch watermark the tests' backfills swap in: after every row of the lake.</summary>
    protected static readonly DateTime Watermark = new(2026, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The test lake.</summary>
    protected TestLake Lake { get; private set; } = null!;

    /// <summary>The class's database.</summary>
    protected NpgsqlDataSource Postgres { get; private set; } = null!;

    private TestDatabase _database = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Lake = await TestLake.CreateAsync(6000);
        _database = await TestPostgres.CreateDatabaseAsync();
        Postgres = NpgsqlDataSource.Create(_database.ConnectionString);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Postgres.DisposeAsync();
        await _database.DisposeAsync();
        Lake.Dispose();
    }
}
