using Npgsql;
using Streams.Postgres;

namespace Streams.Batch.Bookmarks;

/// <summary>
/// Creates schema <c>batch</c>: job bookmarks (the files each pipeline's last successful run read, with size,
/// modification time and entity tag), backfill runs, and the splits of shared runs that hosts claim (each split's
/// partial result and dead letters are staged with it until the run swaps them in).
/// Applied by <see cref="MigrationRunner"/>.
/// </summary>
public static class BatchMigrations
{
    /// <summary>The schema of the batch layer's tables.</summary>
    public const string Schema = "batch";

    // Why IF NOT EXISTS in step 1: databases from before the numbered migrations already have these tables.
    private static readonly MigrationSet Set = new(Schema,
    [
        $"""
        CREATE TABLE IF NOT EXISTS {Schema}.bookmarks (
            pipeline text NOT NULL,
            path text NOT NULL,
            size bigint NOT NULL,
            etag text NOT NULL,
            modified timestamptz NOT NULL,
            rows bigint NOT NULL,
            min_time timestamptz,
            max_time timestamptz,
            run_id uuid NOT NULL,
            PRIMARY KEY (pipeline, path));
        CREATE TABLE IF NOT EXISTS {Schema}.runs (
            id uuid PRIMARY KEY,
            pipeline text NOT NULL,
            mode text NOT NULL,
            status text NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now(),
            heartbeat_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz,
            files integer NOT NULL DEFAULT 0,
            rows bigint NOT NULL DEFAULT 0,
            dead_letters bigint NOT NULL DEFAULT 0,
            message text);
        CREATE INDEX IF NOT EXISTS runs_pipeline ON {Schema}.runs (pipeline, started_at DESC);
        CREATE TABLE IF NOT EXISTS {Schema}.splits (
            run_id uuid NOT NULL REFERENCES {Schema}.runs(id) ON DELETE CASCADE,
            ordinal integer NOT NULL,
            split_id text NOT NULL,
            path text NOT NULL,
            first_row_group integer,
            row_groups integer NOT NULL,
            bytes bigint NOT NULL,
            size bigint NOT NULL,
            etag text NOT NULL,
            modified timestamptz NOT NULL,
            partition_values text[] NOT NULL,
            format text,
            done boolean NOT NULL DEFAULT false,
            done_by text,
            done_at timestamptz,
            rows bigint,
            min_time timestamptz,
            max_time timestamptz,
            partial bytea,
            PRIMARY KEY (run_id, ordinal));
        CREATE TABLE IF NOT EXISTS {Schema}.split_dead_letters (
            run_id uuid NOT NULL,
            ordinal integer NOT NULL,
            transform text NOT NULL,
            reason text NOT NULL,
            source text,
            partition integer,
            "offset" bigint,
            record jsonb NOT NULL,
            FOREIGN KEY (run_id, ordinal) REFERENCES {Schema}.splits(run_id, ordinal) ON DELETE CASCADE);
        """,
    ]);

    /// <summary>Applies the migrations to the database of <paramref name="dataSource"/>.</summary>
    public static Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        MigrationRunner.ApplyAsync(dataSource, Set, cancellationToken);
}
