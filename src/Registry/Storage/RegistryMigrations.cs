using Npgsql;
using Streams.Postgres;

namespace Streams.Registry.Storage;

/// <summary>
/// The registry's tables in the <c>registry</c> PostgreSQL schema, created by numbered migrations (applied by
/// <see cref="MigrationRunner"/>: each once, whichever hosts start at once).
/// </summary>
public static class RegistryMigrations
{
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

    private static readonly MigrationSet Set = new("registry", Migrations);

    /// <summary>The number of migrations this build knows.</summary>
    public static int LatestVersion => Set.LatestVersion;

    /// <summary>Applies the migrations the database lacks. Safe to call concurrently and repeatedly.</summary>
    public static Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        MigrationRunner.ApplyAsync(dataSource, Set, cancellationToken);
}
