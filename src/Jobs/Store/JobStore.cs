using Npgsql;
using NpgsqlTypes;
using Streams.Catalog;

namespace Streams.Jobs.Store;

/// <summary>
/// Jobs, runs and their logs, triggers, firings and workflows in PostgreSQL (schema <c>jobs</c>), shared by every
/// host on the database: runs are claimed and leased here, firings recorded here, so each happens once.
/// Methods throw the <see cref="CatalogException"/> subclasses the Glue API answers with.
/// </summary>
public sealed partial class JobStore(NpgsqlDataSource dataSource)
{
    /// <summary>The database.</summary>
    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>Applies the schema's migrations (idempotent).</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => JobsMigrations.ApplyAsync(DataSource, cancellationToken);

    /// <summary>Checks a job, trigger or workflow name and returns it.</summary>
    /// <exception cref="InvalidInputException">It is empty, too long or holds control characters.</exception>
    public static string CheckName(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidInputException($"{what} name is required.");
        }

        if (name.Length > 255 || name.Any(char.IsControl))
        {
            throw new InvalidInputException($"{what} name '{name}' is invalid: use 1 to 255 characters, no control characters.");
        }

        return name;
    }

    private NpgsqlCommand Command(string sql, params object?[] parameters) => Bind(DataSource.CreateCommand(sql), parameters);

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] parameters) =>
        Bind(new NpgsqlCommand(sql, connection), parameters);

    private static NpgsqlCommand Bind(NpgsqlCommand command, object?[] parameters)
    {
        foreach (var value in parameters)
        {
            command.Parameters.Add(value switch
            {
                Json j => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = j.Text },
                null => new NpgsqlParameter { Value = DBNull.Value },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        return command;
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetDateTime(ordinal), TimeSpan.Zero);

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A jsonb parameter.</summary>
    private sealed record Json(string Text);
}
