using Streams.Catalog.Postgres;
using System.Security.Cryptography;
using Npgsql;
using Streams.Postgres;

namespace Streams.Serving;

/// <summary>
/// Creates the serving schema: the output catalog, the source positions, the pipeline state that
/// commits with them (window watermark, deduplicate keys), dead letters, and a read-only login role
/// for queries. Applied by <see cref="MigrationRunner"/>.
/// </summary>
public static class ServingMigrations
{
    /// <summary>The schema that holds every serving table and merged view.</summary>
    public const string Schema = "serving";

    // Private to the admin user: the reader's generated password, so the query service can log in as it.
    private const string AdminSchema = "serving_admin";

    /// <summary>
    /// The read-only role of a database. Roles are cluster-wide, so the name carries the database name:
    /// each database's reader can read only that database's serving schema.
    /// </summary>
    public static string ReaderRoleName(string database)
    {
        var clean = new string(database.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return "streams_reader_" + (clean.Length > 40 ? clean[..40] : clean);
    }

    // Why IF NOT EXISTS in step 1: databases from before the numbered migrations already have these tables.
    private static readonly MigrationSet Set = new(Schema,
    [
        $"""
        CREATE SCHEMA IF NOT EXISTS {AdminSchema};
        REVOKE ALL ON SCHEMA {AdminSchema} FROM PUBLIC;
        CREATE TABLE IF NOT EXISTS {AdminSchema}.reader (role text PRIMARY KEY, password text NOT NULL);
        CREATE TABLE IF NOT EXISTS {Schema}.outputs (
            name text PRIMARY KEY,
            columns jsonb NOT NULL,
            keys text[] NOT NULL,
            time_column text NOT NULL,
            watermark timestamptz NOT NULL DEFAULT '-infinity',
            generation bigint NOT NULL DEFAULT 0,
            created_at timestamptz NOT NULL DEFAULT now(),
            swapped_at timestamptz);
        CREATE TABLE IF NOT EXISTS {Schema}.positions (
            output text NOT NULL REFERENCES {Schema}.outputs(name),
            source text NOT NULL,
            partition integer NOT NULL,
            "offset" bigint NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (output, source, partition));
        CREATE TABLE IF NOT EXISTS {Schema}.pipeline_state (
            state_key text PRIMARY KEY,
            max_event_time timestamptz,
            updated_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS {Schema}.transform_state (
            state_key text NOT NULL,
            transform integer NOT NULL,
            entry text NOT NULL,
            PRIMARY KEY (state_key, transform, entry));
        CREATE TABLE IF NOT EXISTS {Schema}.dead_letters (
            id bigserial PRIMARY KEY,
            pipeline text NOT NULL,
            transform text NOT NULL,
            reason text NOT NULL,
            source text,
            partition integer,
            "offset" bigint,
            record jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now());
        """,
    ])
    {
        EveryRun = EnsureReaderRoleAsync,
    };

    /// <summary>Applies the migrations to the database of <paramref name="dataSource"/>.</summary>
    public static Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        MigrationRunner.ApplyAsync(dataSource, Set, cancellationToken);

    // Why on every run: the role is cluster-wide and outlives a dropped database, so its password and grants are
    // checked each time rather than trusted to a recorded step.
    private static async Task EnsureReaderRoleAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var role = ReaderRoleName(connection.Database);
        var quotedRole = PostgresTypeMap.Quote(role);
        var existing = await ScalarAsync<string>(connection,
            $"SELECT password FROM {AdminSchema}.reader WHERE role = '{role}'", cancellationToken);
        var roleExists = await ScalarAsync<bool>(connection,
            $"SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}')", cancellationToken);
        if (existing is null || !roleExists)
        {
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
            await ExecuteAsync(connection, roleExists
                ? $"ALTER ROLE {quotedRole} LOGIN PASSWORD '{password}'"
                : $"CREATE ROLE {quotedRole} LOGIN NOINHERIT PASSWORD '{password}'", cancellationToken);
            await ExecuteAsync(connection, $"""
                INSERT INTO {AdminSchema}.reader (role, password) VALUES ('{role}', '{password}')
                ON CONFLICT (role) DO UPDATE SET password = excluded.password
                """, cancellationToken);
        }

        // Why role settings as well as per-query SETs: a session of this role is read-only and confined
        // to the serving schema even if someone connects as it directly.
        var database = PostgresTypeMap.Quote(connection.Database);
        await ExecuteAsync(connection, $"""
            ALTER ROLE {quotedRole} IN DATABASE {database} SET default_transaction_read_only = on;
            ALTER ROLE {quotedRole} IN DATABASE {database} SET search_path = {Schema};
            ALTER ROLE {quotedRole} IN DATABASE {database} SET statement_timeout = '30s';
            GRANT CONNECT ON DATABASE {database} TO {quotedRole};
            GRANT USAGE ON SCHEMA {Schema} TO {quotedRole};
            GRANT SELECT ON ALL TABLES IN SCHEMA {Schema} TO {quotedRole};
            ALTER DEFAULT PRIVILEGES IN SCHEMA {Schema} GRANT SELECT ON TABLES TO {quotedRole};
            REVOKE ALL ON SCHEMA public FROM {quotedRole};
            """, cancellationToken);
    }

    /// <summary>Applies the migrations unless the reader role's credentials show they already ran (cheap check for read-only callers).</summary>
    public static async Task EnsureAppliedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            var role = ReaderRoleName(connection.Database);
            var applied = await ScalarAsync<bool>(connection,
                $"SELECT to_regclass('{AdminSchema}.reader') IS NOT NULL AND to_regclass('{Schema}.outputs') IS NOT NULL AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}')",
                cancellationToken);
            if (applied && await ScalarAsync<bool>(connection, $"SELECT EXISTS (SELECT 1 FROM {AdminSchema}.reader WHERE role = '{role}')", cancellationToken))
            {
                return;
            }
        }

        await ApplyAsync(dataSource, cancellationToken);
    }

    /// <summary>A connection string that logs in as the database's reader role (read by the admin connection).</summary>
    public static async Task<string> ReaderConnectionStringAsync(NpgsqlDataSource adminDataSource,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await adminDataSource.OpenConnectionAsync(cancellationToken);
        var role = ReaderRoleName(connection.Database);
        var password = await ScalarAsync<string>(connection,
                $"SELECT password FROM {AdminSchema}.reader WHERE role = '{role}'", cancellationToken)
            ?? throw new ServingException($"The serving migrations have not been applied to database '{connection.Database}'.");
        var builder = new NpgsqlConnectionStringBuilder(adminDataSource.ConnectionString)
        {
            Username = role,
            Password = password,
            SearchPath = Schema,
            ApplicationName = "streams-query",
        };
        return builder.ConnectionString;
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)value;
    }
}
