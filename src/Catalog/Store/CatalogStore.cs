using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Streams.Catalog.Model;

namespace Streams.Catalog.Store;

/// <summary>
/// The Data Catalog in PostgreSQL (schema <c>catalog</c>): databases, tables and their versions, partitions,
/// connections, classifiers, crawlers and crawler runs. Names of databases and tables are lower-cased, as
/// Glue does. Methods throw the <see cref="CatalogException"/> subclasses for missing or duplicate entities.
/// </summary>
public sealed partial class CatalogStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SecretProtector _secrets;

    /// <summary>Creates a store over <paramref name="dataSource"/>; secrets are encrypted by <paramref name="secrets"/>.</summary>
    public CatalogStore(NpgsqlDataSource dataSource, SecretProtector secrets)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));
    }

    /// <summary>Applies the catalog's migrations (idempotent).</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        CatalogMigrations.ApplyAsync(_dataSource, cancellationToken);

    private static string NormalizeName(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidInputException($"{what} name is required.");
        }

        if (name.Length > 255 || !ValidName().IsMatch(name))
        {
            throw new InvalidInputException(
                $"{what} name '{name}' is invalid: use up to 255 letters, digits, '_', '-' or '.'.");
        }

        return name.ToLowerInvariant();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-.]+$")]
    private static partial Regex ValidName();

    private NpgsqlCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        // A data source command opens a pooled connection per execution and returns it when done.
        var command = _dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value switch
            {
                Jsonb j => new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = (object?)j.Json ?? DBNull.Value },
                _ => new NpgsqlParameter(name, value ?? DBNull.Value),
            });
        }

        return command;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken,
        params (string, object?)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(map(reader));
        }

        return list;
    }

    private static Page<T> ToPage<T>(List<T> rows, int offset, int limit)
    {
        // Queries fetch one row more than the page so that the last page has no next token.
        if (rows.Count > limit)
        {
            rows.RemoveAt(rows.Count - 1);
            return new Page<T>(rows, offset + limit);
        }

        return new Page<T>(rows, null);
    }

    private static bool IsUniqueViolation(PostgresException e) => e.SqlState == PostgresErrorCodes.UniqueViolation;

    private static bool IsForeignKeyViolation(PostgresException e) => e.SqlState == PostgresErrorCodes.ForeignKeyViolation;

    /// <summary>A jsonb parameter value.</summary>
    private readonly record struct Jsonb(string? Json)
    {
        public static Jsonb Of<T>(T? value) => new(value is null ? null : CatalogJson.Serialize(value));
    }
}
