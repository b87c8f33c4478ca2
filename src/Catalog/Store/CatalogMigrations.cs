using Npgsql;

namespace Streams.Catalog.Store;

/// <summary>
/// The catalog's PostgreSQL schema (<c>catalog</c>), applied in order at start. Each migration runs once,
/// recorded in <c>catalog.migrations</c>, under an advisory lock so that concurrent hosts do not race.
/// </summary>
public static class CatalogMigrations
{
    // Arbitrary constant identifying the catalog's migration lock among advisory locks.
    private const long LockKey = 0x5354524D_43415441;

    private static readonly string[] Steps =
    [
        """
        CREATE TABLE catalog.databases (
            name text PRIMARY KEY,
            description text,
            location_uri text,
            parameters jsonb NOT NULL DEFAULT '{}',
            create_time timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE catalog.tables (
            database_name text NOT NULL REFERENCES catalog.databases (name) ON DELETE CASCADE,
            name text NOT NULL,
            definition jsonb NOT NULL,
            version_id integer NOT NULL,
            table_type text GENERATED ALWAYS AS (definition ->> 'TableType') STORED,
            location text GENERATED ALWAYS AS (definition -> 'StorageDescriptor' ->> 'Location') STORED,
            input_format text GENERATED ALWAYS AS (definition -> 'StorageDescriptor' ->> 'InputFormat') STORED,
            serde jsonb GENERATED ALWAYS AS (definition -> 'StorageDescriptor' -> 'SerdeInfo') STORED,
            columns jsonb GENERATED ALWAYS AS (definition -> 'StorageDescriptor' -> 'Columns') STORED,
            partition_keys jsonb GENERATED ALWAYS AS (definition -> 'PartitionKeys') STORED,
            parameters jsonb GENERATED ALWAYS AS (definition -> 'Parameters') STORED,
            create_time timestamptz NOT NULL DEFAULT now(),
            update_time timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (database_name, name)
        );
        CREATE TABLE catalog.table_versions (
            database_name text NOT NULL,
            table_name text NOT NULL,
            version_id integer NOT NULL,
            definition jsonb NOT NULL,
            archived_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (database_name, table_name, version_id),
            FOREIGN KEY (database_name, table_name) REFERENCES catalog.tables (database_name, name) ON DELETE CASCADE
        );
        CREATE TABLE catalog.partitions (
            database_name text NOT NULL,
            table_name text NOT NULL,
            partition_values text[] NOT NULL,
            location text,
            definition jsonb NOT NULL,
            file_count integer,
            bytes bigint,
            last_crawled timestamptz,
            create_time timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (database_name, table_name, partition_values),
            FOREIGN KEY (database_name, table_name) REFERENCES catalog.tables (database_name, name) ON DELETE CASCADE
        );
        CREATE TABLE catalog.connections (
            name text PRIMARY KEY,
            connection_type text NOT NULL,
            description text,
            match_criteria jsonb,
            properties jsonb NOT NULL DEFAULT '{}',
            secrets bytea,
            create_time timestamptz NOT NULL DEFAULT now(),
            update_time timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE catalog.classifiers (
            name text PRIMARY KEY,
            definition jsonb NOT NULL
        );
        CREATE TABLE catalog.crawlers (
            name text PRIMARY KEY,
            definition jsonb NOT NULL,
            state text NOT NULL DEFAULT 'READY',
            version bigint NOT NULL DEFAULT 1,
            last_crawl jsonb,
            create_time timestamptz NOT NULL DEFAULT now(),
            update_time timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE catalog.crawler_runs (
            id bigserial PRIMARY KEY,
            crawler_name text NOT NULL REFERENCES catalog.crawlers (name) ON DELETE CASCADE,
            started timestamptz NOT NULL,
            finished timestamptz,
            status text NOT NULL,
            error text,
            tables_created integer NOT NULL DEFAULT 0,
            tables_updated integer NOT NULL DEFAULT 0,
            tables_deleted integer NOT NULL DEFAULT 0,
            partitions_added integer NOT NULL DEFAULT 0,
            files_read integer NOT NULL DEFAULT 0,
            files_skipped integer NOT NULL DEFAULT 0,
            files_unreadable integer NOT NULL DEFAULT 0,
            files_unclassified integer NOT NULL DEFAULT 0,
            messages jsonb NOT NULL DEFAULT '[]'
        );
        CREATE INDEX ON catalog.crawler_runs (crawler_name, started DESC);
        """,
    ];

    /// <summary>Applies the migrations not yet applied. Safe to run any number of times, concurrently.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        await Execute(connection, """
            CREATE SCHEMA IF NOT EXISTS catalog;
            CREATE TABLE IF NOT EXISTS catalog.migrations (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now());
            """, cancellationToken);
        await using (var query = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM catalog.migrations", connection))
        {
            var applied = (int)(await query.ExecuteScalarAsync(cancellationToken))!;
            for (var version = applied + 1; version <= Steps.Length; version++)
            {
                await Execute(connection, Steps[version - 1], cancellationToken);
                await Execute(connection, $"INSERT INTO catalog.migrations (version) VALUES ({version})", cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
