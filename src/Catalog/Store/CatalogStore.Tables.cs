using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Streams.Catalog.Model;

namespace Streams.Catalog.Store;

public sealed partial class CatalogStore
{
    private const string TableColumns = "definition::text, version_id, create_time, update_time";

    /// <summary>Creates a table in <paramref name="databaseName"/>.</summary>
    /// <exception cref="EntityNotFoundException">No such database.</exception>
    /// <exception cref="AlreadyExistsException">The table exists.</exception>
    public async Task<Table> CreateTableAsync(string databaseName, TableInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var db = NormalizeName(databaseName, "Database");
        var name = NormalizeName(input.Name, "Table");
        ValidateColumns(input);
        GlueLimits.Check(input);
        var definition = ToTable(db, name, input, 1, null);
        try
        {
            await ExecuteAsync(
                "INSERT INTO catalog.tables (database_name, name, definition, version_id) VALUES ($1, $2, $3, 1)",
                cancellationToken, ("", db), ("", name), ("", Jsonb.Of(definition)));
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            throw new AlreadyExistsException($"Table {name} already exists in database {db}.");
        }
        catch (PostgresException e) when (IsForeignKeyViolation(e))
        {
            throw new EntityNotFoundException($"Database {db} not found.");
        }

        return await GetTableAsync(db, name, cancellationToken);
    }

    /// <summary>Gets a table.</summary>
    /// <exception cref="EntityNotFoundException">No such database or table.</exception>
    public async Task<Table> GetTableAsync(string databaseName, string name, CancellationToken cancellationToken = default)
    {
        var db = NormalizeName(databaseName, "Database");
        var table = NormalizeName(name, "Table");
        var rows = await QueryAsync($"SELECT {TableColumns} FROM catalog.tables WHERE database_name = $1 AND name = $2",
            ReadTable, cancellationToken, ("", db), ("", table));
        if (rows.Count == 1)
        {
            return rows[0];
        }

        await GetDatabaseAsync(db, cancellationToken);
        throw new EntityNotFoundException($"Table {table} not found in database {db}.");
    }

    /// <summary>
    /// Lists the tables of a database, optionally those whose name matches <paramref name="expression"/>: a
    /// regular expression matched against the whole name, where a <c>*</c> not preceded by <c>.</c> means
    /// any text (so <c>sales*</c> works as Glue users write it).
    /// </summary>
    public async Task<Page<Table>> GetTablesAsync(string databaseName, string? expression, int offset, int limit,
        CancellationToken cancellationToken = default)
    {
        var db = NormalizeName(databaseName, "Database");
        await GetDatabaseAsync(db, cancellationToken);
        if (string.IsNullOrEmpty(expression))
        {
            return ToPage(await QueryAsync(
                $"SELECT {TableColumns} FROM catalog.tables WHERE database_name = $1 ORDER BY name OFFSET $2 LIMIT $3",
                ReadTable, cancellationToken, ("", db), ("", offset), ("", limit + 1)), offset, limit);
        }

        var pattern = TableNamePattern(expression);
        var all = await QueryAsync($"SELECT {TableColumns} FROM catalog.tables WHERE database_name = $1 ORDER BY name",
            ReadTable, cancellationToken, ("", db));
        return ToPage(all.Where(t => pattern.IsMatch(t.Name)).Skip(offset).Take(limit + 1).ToList(), offset, limit);
    }

    private static Regex TableNamePattern(string expression)
    {
        var translated = Regex.Replace(expression, @"(?<!\.)\*", ".*");
        try
        {
            return new Regex($"^(?:{translated})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
                TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new InvalidInputException($"Expression '{expression}' is not a valid regular expression: {e.Message}");
        }
    }

    /// <summary>
    /// Replaces a table's definition. Unless <paramref name="skipArchive"/>, the previous definition is kept
    /// as a table version; the version id increases by one.
    /// </summary>
    public async Task<Table> UpdateTableAsync(string databaseName, TableInput input, bool skipArchive = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var db = NormalizeName(databaseName, "Database");
        var name = NormalizeName(input.Name, "Table");
        ValidateColumns(input);
        GlueLimits.Check(input);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Table current;
        await using (var select = new NpgsqlCommand(
            $"SELECT {TableColumns} FROM catalog.tables WHERE database_name = $1 AND name = $2 FOR UPDATE", connection))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = db });
            select.Parameters.Add(new NpgsqlParameter { Value = name });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new EntityNotFoundException($"Table {name} not found in database {db}.");
            }

            current = ReadTable(reader);
        }

        var version = int.Parse(current.VersionId!, CultureInfo.InvariantCulture);
        if (!skipArchive)
        {
            await using var archive = new NpgsqlCommand(
                "INSERT INTO catalog.table_versions (database_name, table_name, version_id, definition) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                connection);
            archive.Parameters.Add(new NpgsqlParameter { Value = db });
            archive.Parameters.Add(new NpgsqlParameter { Value = name });
            archive.Parameters.Add(new NpgsqlParameter { Value = version });
            archive.Parameters.Add(new NpgsqlParameter { Value = CatalogJson.Serialize(current), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb });
            await archive.ExecuteNonQueryAsync(cancellationToken);
        }

        var updated = ToTable(db, name, input, version + 1, current.CreatedBy);
        await using (var update = new NpgsqlCommand(
            "UPDATE catalog.tables SET definition = $3, version_id = $4, update_time = now() WHERE database_name = $1 AND name = $2",
            connection))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = db });
            update.Parameters.Add(new NpgsqlParameter { Value = name });
            update.Parameters.Add(new NpgsqlParameter { Value = CatalogJson.Serialize(updated), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb });
            update.Parameters.Add(new NpgsqlParameter { Value = version + 1 });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return await GetTableAsync(db, name, cancellationToken);
    }

    /// <summary>Deletes a table with its partitions and versions.</summary>
    public async Task DeleteTableAsync(string databaseName, string name, CancellationToken cancellationToken = default)
    {
        var db = NormalizeName(databaseName, "Database");
        var table = NormalizeName(name, "Table");
        if (await ExecuteAsync("DELETE FROM catalog.tables WHERE database_name = $1 AND name = $2", cancellationToken,
                ("", db), ("", table)) == 0)
        {
            throw new EntityNotFoundException($"Table {table} not found in database {db}.");
        }
    }

    /// <summary>The versions of a table, newest first: the current definition, then the archived ones.</summary>
    public async Task<Page<TableVersion>> GetTableVersionsAsync(string databaseName, string name, int offset, int limit,
        CancellationToken cancellationToken = default)
    {
        var current = await GetTableAsync(databaseName, name, cancellationToken);
        var rows = await QueryAsync(
            """
            SELECT definition::text, version_id FROM (
                SELECT definition, version_id FROM catalog.tables WHERE database_name = $1 AND name = $2
                UNION ALL
                SELECT definition, version_id FROM catalog.table_versions WHERE database_name = $1 AND table_name = $2) v
            ORDER BY version_id DESC OFFSET $3 LIMIT $4
            """,
            r => new TableVersion(CatalogJson.Deserialize<Table>(r.GetString(0)) with { VersionId = r.GetInt32(1).ToString(CultureInfo.InvariantCulture) },
                r.GetInt32(1).ToString(CultureInfo.InvariantCulture)),
            cancellationToken, ("", current.DatabaseName), ("", current.Name), ("", offset), ("", limit + 1));
        return ToPage(rows, offset, limit);
    }

    private static void ValidateColumns(TableInput input)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in (input.StorageDescriptor?.Columns ?? []).Concat(input.PartitionKeys ?? []))
        {
            if (string.IsNullOrEmpty(column.Name))
            {
                throw new InvalidInputException($"Table {input.Name}: a column has no name.");
            }

            if (!names.Add(column.Name))
            {
                throw new InvalidInputException($"Table {input.Name}: column '{column.Name}' appears twice.");
            }

            if (column.Type is not null)
            {
                try
                {
                    Schemas.GlueTypes.Parse(column.Type);
                }
                catch (FormatException e)
                {
                    throw new InvalidInputException($"Table {input.Name}, column '{column.Name}': {e.Message}");
                }
            }
        }
    }

    private static Table ToTable(string db, string name, TableInput input, int version, string? createdBy) => new()
    {
        Name = name,
        DatabaseName = db,
        Description = input.Description,
        Owner = input.Owner,
        LastAccessTime = input.LastAccessTime,
        Retention = input.Retention,
        StorageDescriptor = input.StorageDescriptor,
        PartitionKeys = input.PartitionKeys ?? [],
        TableType = input.TableType,
        Parameters = input.Parameters ?? [],
        CreatedBy = createdBy ?? input.Parameters?.GetValueOrDefault("UPDATED_BY_CRAWLER"),
        VersionId = version.ToString(CultureInfo.InvariantCulture),
    };

    private static Table ReadTable(NpgsqlDataReader r) => CatalogJson.Deserialize<Table>(r.GetString(0)) with
    {
        VersionId = r.GetInt32(1).ToString(CultureInfo.InvariantCulture),
        CreateTime = r.GetFieldValue<DateTimeOffset>(2),
        UpdateTime = r.GetFieldValue<DateTimeOffset>(3),
    };
}
