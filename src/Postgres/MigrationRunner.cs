using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Streams.Postgres;

/// <summary>
/// Applies a <see cref="MigrationSet"/>: the steps a database lacks, each recorded in <c>&lt;schema&gt;.migrations</c>,
/// all in one transaction under an advisory lock of that schema, so several hosts starting at once apply each step
/// exactly once and a failed step leaves the database as it was.
/// </summary>
public static class MigrationRunner
{
    /// <summary>Applies the steps of <paramref name="migrations"/> that the database does not have. Safe to call concurrently and repeatedly.</summary>
    /// <returns>The number of steps applied by this call.</returns>
    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, MigrationSet migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(migrations);
        var schema = Quote(migrations.Schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({LockKey(migrations.Schema)})", cancellationToken);
        await ExecuteAsync(connection, $"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            """, cancellationToken);

        int applied;
        await using (var query = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {schema}.migrations", connection))
        {
            applied = (int)(await query.ExecuteScalarAsync(cancellationToken))!;
        }

        if (applied > migrations.LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database's {migrations.Schema} schema is at migration {applied}, newer than this build's {migrations.LatestVersion}: " +
                "run the newer Streams build, or point this one at another database.");
        }

        for (var version = applied + 1; version <= migrations.LatestVersion; version++)
        {
            await ExecuteAsync(connection, migrations.Steps[version - 1], cancellationToken);
            await ExecuteAsync(connection, $"INSERT INTO {schema}.migrations (version) VALUES ({version})", cancellationToken);
        }

        if (migrations.EveryRun is { } everyRun)
        {
            await everyRun(connection, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return migrations.LatestVersion - applied;
    }

    // Why derived from the schema name: each store's lock is distinct without a registry of constants.
    private static long LockKey(string schema) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("streams.migrations." + schema)));

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
