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
        // 2: the Glue Schema Registry over the same subjects (docs/glue-schema-registry.md): every version gets a UUID
        // (existing ones too), Glue registries (the default one always exists), the Glue side of a schema, the
        // registrations refused by compatibility (Glue keeps them as FAILURE versions), version metadata and tags.
        """
        ALTER TABLE registry.subject_versions ADD COLUMN version_id uuid NOT NULL DEFAULT gen_random_uuid();
        CREATE UNIQUE INDEX subject_versions_version_id ON registry.subject_versions (version_id);
        CREATE TABLE registry.glue_registries (
            name        text PRIMARY KEY,
            description text,
            created_at  timestamptz NOT NULL DEFAULT now(),
            updated_at  timestamptz NOT NULL DEFAULT now()
        );
        INSERT INTO registry.glue_registries (name, description) VALUES ('default-registry', 'The default registry: its schemas are the subjects of the same name.');
        CREATE TABLE registry.glue_schemas (
            subject     text PRIMARY KEY,
            registry    text NOT NULL REFERENCES registry.glue_registries (name),
            name        text NOT NULL,
            data_format text NOT NULL,
            description text,
            checkpoint  integer,
            created_at  timestamptz NOT NULL DEFAULT now(),
            updated_at  timestamptz NOT NULL DEFAULT now(),
            UNIQUE (registry, name)
        );
        CREATE TABLE registry.glue_failed_versions (
            version_id  uuid PRIMARY KEY,
            subject     text NOT NULL,
            version     integer NOT NULL,
            data_format text NOT NULL,
            definition  text NOT NULL,
            reason      text NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE registry.glue_version_metadata (
            version_id uuid NOT NULL,
            key        text NOT NULL,
            value      text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (version_id, key, value)
        );
        CREATE TABLE registry.glue_tags (
            arn   text NOT NULL,
            key   text NOT NULL,
            value text NOT NULL,
            PRIMARY KEY (arn, key)
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
