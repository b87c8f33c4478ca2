using Npgsql;
using Streams.Postgres;

namespace Streams.Catalog.Store;

/// <summary>
/// The catalog's PostgreSQL schema (<c>catalog</c>), applied in order at start by
/// <see cref="MigrationRunner"/>: each migration once, recorded in <c>catalog.migrations</c>.
/// </summary>
public static class CatalogMigrations
{
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

    private static readonly MigrationSet Set = new("catalog", Steps);

    /// <summary>Applies the migrations not yet applied. Safe to run any number of times, concurrently.</summary>
    public static Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        MigrationRunner.ApplyAsync(dataSource, Set, cancellationToken);
}
