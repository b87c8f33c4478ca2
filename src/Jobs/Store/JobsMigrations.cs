using Npgsql;
using Streams.Postgres;

namespace Streams.Jobs.Store;

/// <summary>The <c>jobs</c> schema: jobs, their runs and logs, triggers and their firings, workflows and their runs.</summary>
public static class JobsMigrations
{
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE jobs.jobs (
            name text PRIMARY KEY,
            definition jsonb NOT NULL,
            created_on timestamptz NOT NULL DEFAULT now(),
            modified_on timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE jobs.runs (
            seq bigserial UNIQUE,
            id text PRIMARY KEY,
            job_name text NOT NULL,
            attempt integer NOT NULL,
            previous_run_id text,
            trigger_name text,
            workflow_run_id text,
            state text NOT NULL,
            arguments jsonb NOT NULL,
            error_message text,
            timeout_minutes integer NOT NULL,
            max_retries integer NOT NULL,
            started_on timestamptz NOT NULL DEFAULT now(),
            modified_on timestamptz NOT NULL DEFAULT now(),
            completed_on timestamptz,
            -- A run is final when it ended and no retry follows it: what conditional triggers watch.
            final boolean NOT NULL DEFAULT false,
            records_in bigint NOT NULL DEFAULT 0,
            records_out bigint NOT NULL DEFAULT 0,
            dead_letters bigint NOT NULL DEFAULT 0,
            -- The host executing the run and how long its lease lasts; an expired lease is taken over.
            host text,
            lease_until timestamptz
        );
        CREATE INDEX ON jobs.runs (job_name, seq DESC);
        CREATE INDEX ON jobs.runs (workflow_run_id) WHERE workflow_run_id IS NOT NULL;
        CREATE INDEX ON jobs.runs (state) WHERE state IN ('STARTING', 'RUNNING', 'STOPPING');
        CREATE TABLE jobs.run_logs (
            seq bigserial PRIMARY KEY,
            run_id text NOT NULL,
            at timestamptz NOT NULL DEFAULT now(),
            message text NOT NULL
        );
        CREATE INDEX ON jobs.run_logs (run_id, seq);
        CREATE TABLE jobs.triggers (
            name text PRIMARY KEY,
            definition jsonb NOT NULL,
            state text NOT NULL,
            workflow_name text,
            activated_on timestamptz,
            created_on timestamptz NOT NULL DEFAULT now()
        );
        -- One row per firing: the primary key makes each firing start its actions once, whichever host sees it first.
        CREATE TABLE jobs.firings (
            trigger_name text NOT NULL,
            fire_key text NOT NULL,
            fired_on timestamptz NOT NULL DEFAULT now(),
            host text NOT NULL,
            PRIMARY KEY (trigger_name, fire_key)
        );
        CREATE TABLE jobs.workflows (
            name text PRIMARY KEY,
            definition jsonb NOT NULL,
            created_on timestamptz NOT NULL DEFAULT now(),
            modified_on timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE jobs.workflow_runs (
            seq bigserial UNIQUE,
            id text PRIMARY KEY,
            workflow_name text NOT NULL,
            status text NOT NULL,
            properties jsonb NOT NULL,
            started_on timestamptz NOT NULL DEFAULT now(),
            completed_on timestamptz,
            error_message text
        );
        CREATE TABLE jobs.workflow_crawls (
            workflow_run_id text NOT NULL,
            crawler_name text NOT NULL,
            started_on timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (workflow_run_id, crawler_name)
        );
        """,
        // Bookmarks were kept per pipeline, so jobs on one spec shared one; now each job has its own. A job made before
        // keeps its pipeline's bookmark: it adopts a copy the first time it runs or its bookmark is read (which needs its
        // spec, hence not in SQL here). Jobs made from now on have nothing to adopt.
        """
        ALTER TABLE jobs.jobs ADD COLUMN bookmark_adopted boolean NOT NULL DEFAULT false;
        ALTER TABLE jobs.jobs ALTER COLUMN bookmark_adopted SET DEFAULT true;
        """,
        // The new files an EVENT trigger has seen (a rewritten file is new again: its entity tag changed); fired_key names
        // the firing that consumed the file, in the transaction that queued its runs.
        """
        CREATE TABLE jobs.event_files (
            seq bigserial UNIQUE,
            trigger_name text NOT NULL,
            path text NOT NULL,
            etag text NOT NULL,
            seen_on timestamptz NOT NULL,
            fired_key text,
            PRIMARY KEY (trigger_name, path, etag)
        );
        CREATE INDEX ON jobs.event_files (trigger_name, seq) WHERE fired_key IS NULL;
        """,
    ];

    private static readonly MigrationSet Set = new("jobs", Steps);

    /// <summary>Applies the migrations not yet applied. Safe to run any number of times, concurrently.</summary>
    public static Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        MigrationRunner.ApplyAsync(dataSource, Set, cancellationToken);
}
