using Npgsql;

namespace Streams.Registry.Storage;

/// <summary>
/// The registry's tables in the <c>registry</c> PostgreSQL schema, created by numbered migrations that run
/// under an advisory lock, so several hosts starting at once apply each exactly once.
/// </summary>
public static class RegistryMigrations
{
    // The migration lock is distinct from the write lock so a host starting does not wait on registrations.
    private const long MigrationLockKey = 0x53_52_4D_49_47_52_41_54; // "SRMIGRAT"

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE registry.schemas (
            id          integer PRIMARY KEY CHECK (id > 0),
            schema_type text    NOT NULL,
            schema_text text    NOT NULL,
            identity    bytea   NOT NULL UNIQUE,
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE registry.schema_references (
            schema_id integer NOT NULL REFERENCES registry.schemas (id),
            position  integer NOT NULL,
            name      text    NOT NULL,
            subject   text    NOT NULL,
            version   integer NOT NULL,
            PRIMARY KEY (schema_id, position)
        );
        CREATE INDEX schema_references_target ON registry.schema_references (subject, version);
        CREATE TABLE registry.subject_versions (
            subject       text    NOT NULL,
            version       integer NOT NULL CHECK (version > 0),
            schema_id     integer NOT NULL REFERENCES registry.schemas (id),
            deleted       boolean NOT NULL DEFAULT false,
            registered_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (subject, version)
        );
        CREATE INDEX subject_versions_schema ON registry.subject_versions (schema_id);
        CREATE TABLE registry.compatibility (
            subject text PRIMARY KEY,
            level   text NOT NULL
        );
        CREATE TABLE registry.modes (
            subject text PRIMARY KEY,
            mode    text NOT NULL
        );
        """,
    ];

    /// <summary>The number of migrations this build knows.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>Applies the migrations the database lacks. Safe to call concurrently and repeatedly.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(@key); " +
            "CREATE SCHEMA IF NOT EXISTS registry; " +
            "CREATE TABLE IF NOT EXISTS registry.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());",
            connection))
        {
            command.Parameters.AddWithValue("key", MigrationLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        int applied;
        await using (var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM registry.migrations", connection))
        {
            applied = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        for (var version = applied + 1; version <= Migrations.Length; version++)
        {
            await using var command = new NpgsqlCommand(
                Migrations[version - 1] + "; INSERT INTO registry.migrations (version) VALUES (" + version + ");", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
