using Xunit;
using Npgsql;

namespace Streams.Testing;

/// <summary>
/// The PostgreSQL server the tests use: the throwaway cluster <c>scripts/test</c> starts, named by
/// the <c>STREAMS_TEST_POSTGRES</c> connection string. Each caller gets a database of its own, so
/// test classes run in parallel without seeing each other's tables.
/// </summary>
public static class TestPostgres
{
    /// <summary>The environment variable holding the server's connection string.</summary>
    public const string Variable = "STREAMS_TEST_POSTGRES";

    /// <summary>The server connection string; fails with the fix when it is not set.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run the tests through scripts/test, which starts a throwaway PostgreSQL " +
                $"cluster, or set {Variable} to a connection string of a server where the user may create databases.");

    /// <summary>Creates an empty database and returns its connection string; drop it by disposing the result.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name };
        return new TestDatabase(name, builder.ConnectionString);
    }
}

/// <summary>A database created for one test class; dropped (with its connections) on dispose.</summary>
public sealed class TestDatabase(string name, string connectionString) : IAsyncDisposable
{
    /// <summary>The database name.</summary>
    public string Name { get; } = name;

    /// <summary>A connection string to this database.</summary>
    public string ConnectionString { get; } = connectionString;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestPostgres.ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>An xunit class fixture giving a test class its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    /// <summary>The connection string of the class's database.</summary>
    public string ConnectionString => (_database ?? throw new InvalidOperationException("Not initialized.")).ConnectionString;

    /// <inheritdoc />
    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
