using System.Globalization;
using Npgsql;
using Streams.Catalog.Model;

namespace Streams.Catalog.Store;

public sealed partial class CatalogStore
{
    private const string PartitionColumns =
        "database_name, table_name, partition_values, definition::text, file_count, bytes, last_crawled, create_time";

    /// <summary>Creates a partition of a table.</summary>
    /// <exception cref="InvalidInputException">The number of values differs from the number of partition keys.</exception>
    /// <exception cref="AlreadyExistsException">The partition exists.</exception>
    public async Task<Partition> CreatePartitionAsync(string databaseName, string tableName, PartitionInput input,
        CancellationToken cancellationToken = default)
    {
        var table = await GetTableAsync(databaseName, tableName, cancellationToken);
        var values = CheckValues(table, input.Values);
        GlueLimits.Check(input, $"{table.DatabaseName}.{table.Name}");
        var definition = new Partition
        {
            Values = values,
            StorageDescriptor = input.StorageDescriptor,
            Parameters = input.Parameters,
            LastAccessTime = input.LastAccessTime,
            LastAnalyzedTime = input.LastAnalyzedTime,
        };
        try
        {
            await ExecuteAsync(
                "INSERT INTO catalog.partitions (database_name, table_name, partition_values, location, definition) VALUES ($1, $2, $3, $4, $5)",
                cancellationToken, ("", table.DatabaseName), ("", table.Name), ("", values.ToArray()),
                ("", input.StorageDescriptor?.Location), ("", Jsonb.Of(definition)));
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            throw new AlreadyExistsException(
                $"Partition ({string.Join(", ", values)}) of table {table.DatabaseName}.{table.Name} already exists.");
        }

        return await GetPartitionAsync(table.DatabaseName!, table.Name, values, cancellationToken);
    }

    /// <summary>Creates several partitions; each failure is returned with its values instead of failing the batch.</summary>
    public async Task<IReadOnlyList<(List<string> Values, CatalogException Error)>> BatchCreatePartitionAsync(
        string databaseName, string tableName, IReadOnlyList<PartitionInput> inputs, CancellationToken cancellationToken = default)
    {
        await GetTableAsync(databaseName, tableName, cancellationToken);
        var errors = new List<(List<string>, CatalogException)>();
        foreach (var input in inputs)
        {
            try
            {
                await CreatePartitionAsync(databaseName, tableName, input, cancellationToken);
            }
            catch (CatalogException e)
            {
                errors.Add((input.Values ?? [], e));
            }
        }

        return errors;
    }

    /// <summary>Gets one partition by its values.</summary>
    public async Task<Partition> GetPartitionAsync(string databaseName, string tableName, IReadOnlyList<string> values,
        CancellationToken cancellationToken = default)
    {
        var partition = await FindPartitionAsync(databaseName, tableName, values, cancellationToken);
        return partition ?? throw new EntityNotFoundException(
            $"Partition ({string.Join(", ", values)}) of table {databaseName.ToLowerInvariant()}.{tableName.ToLowerInvariant()} not found.");
    }

    /// <summary>Gets the partitions that exist among <paramref name="keys"/>, and the keys that do not.</summary>
    public async Task<(List<Partition> Found, List<List<string>> Missing)> BatchGetPartitionAsync(string databaseName,
        string tableName, IReadOnlyList<List<string>> keys, CancellationToken cancellationToken = default)
    {
        await GetTableAsync(databaseName, tableName, cancellationToken);
        var found = new List<Partition>();
        var missing = new List<List<string>>();
        foreach (var values in keys)
        {
            if (await FindPartitionAsync(databaseName, tableName, values, cancellationToken) is { } partition)
            {
                found.Add(partition);
            }
            else
            {
                missing.Add(values);
            }
        }

        return (found, missing);
    }

    private async Task<Partition?> FindPartitionAsync(string databaseName, string tableName, IReadOnlyList<string> values,
        CancellationToken cancellationToken)
    {
        var db = NormalizeName(databaseName, "Database");
        var table = NormalizeName(tableName, "Table");
        var rows = await QueryAsync(
            $"SELECT {PartitionColumns} FROM catalog.partitions WHERE database_name = $1 AND table_name = $2 AND partition_values = $3",
            ReadPartition, cancellationToken, ("", db), ("", table), ("", values.ToArray()));
        if (rows.Count == 0)
        {
            await GetTableAsync(db, table, cancellationToken);
        }

        return rows.Count == 1 ? rows[0] : null;
    }

    /// <summary>
    /// Lists a table's partitions in value order, optionally those matching <paramref name="expression"/> (see
    /// <see cref="PartitionExpression"/>), compared by the partition keys' types, and only those of <paramref name="segment"/>
    /// when given.
    /// </summary>
    public async Task<Page<Partition>> GetPartitionsAsync(string databaseName, string tableName, string? expression,
        int offset, int limit, PartitionSegment? segment = null, CancellationToken cancellationToken = default)
    {
        var table = await GetTableAsync(databaseName, tableName, cancellationToken);
        var filter = string.IsNullOrWhiteSpace(expression) ? null : PartitionExpression.Parse(expression, table.PartitionKeys ?? []);
        var all = await QueryAsync(
            $"SELECT {PartitionColumns} FROM catalog.partitions WHERE database_name = $1 AND table_name = $2 ORDER BY partition_values",
            ReadPartition, cancellationToken, ("", table.DatabaseName), ("", table.Name));
        var matching = all.Where(p => (filter is null || filter.Matches(p.Values)) && (segment is null || segment.Contains(p.Values))).ToList();
        return ToPage(matching.Skip(offset).Take(limit + 1).ToList(), offset, limit);
    }

    /// <summary>Deletes a partition.</summary>
    public async Task DeletePartitionAsync(string databaseName, string tableName, IReadOnlyList<string> values,
        CancellationToken cancellationToken = default)
    {
        var table = await GetTableAsync(databaseName, tableName, cancellationToken);
        if (await ExecuteAsync(
                "DELETE FROM catalog.partitions WHERE database_name = $1 AND table_name = $2 AND partition_values = $3",
                cancellationToken, ("", table.DatabaseName), ("", table.Name), ("", values.ToArray())) == 0)
        {
            throw new EntityNotFoundException(
                $"Partition ({string.Join(", ", values)}) of table {table.DatabaseName}.{table.Name} not found.");
        }
    }

    /// <summary>
    /// Records what a crawler found in a partition: creates it, or refreshes its location, storage and statistics.
    /// Returns true when the partition is new.
    /// </summary>
    public async Task<bool> UpsertCrawledPartitionAsync(string databaseName, string tableName, IReadOnlyList<string> values,
        StorageDescriptor storage, int fileCount, long bytes, DateTimeOffset crawled, CancellationToken cancellationToken = default)
    {
        var definition = new Partition
        {
            Values = [.. values],
            StorageDescriptor = storage,
            Parameters = new Dictionary<string, string>
            {
                ["numFiles"] = fileCount.ToString(CultureInfo.InvariantCulture),
                ["totalSize"] = bytes.ToString(CultureInfo.InvariantCulture),
            },
            LastAnalyzedTime = crawled,
        };
        var inserted = await QueryAsync(
            """
            INSERT INTO catalog.partitions (database_name, table_name, partition_values, location, definition, file_count, bytes, last_crawled)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (database_name, table_name, partition_values) DO UPDATE SET
                location = EXCLUDED.location, definition = EXCLUDED.definition, file_count = EXCLUDED.file_count,
                bytes = EXCLUDED.bytes, last_crawled = EXCLUDED.last_crawled
            RETURNING (xmax = 0)
            """,
            r => r.GetBoolean(0), cancellationToken, ("", databaseName), ("", tableName), ("", values.ToArray()),
            ("", storage.Location), ("", Jsonb.Of(definition)), ("", fileCount), ("", bytes), ("", crawled));
        return inserted[0];
    }

    /// <summary>Sets a parameter of a partition (a crawler marking it deprecated, say).</summary>
    public async Task SetPartitionParameterAsync(string databaseName, string tableName, IReadOnlyList<string> values, string key,
        string value, CancellationToken cancellationToken = default)
    {
        if (await ExecuteAsync(
                """
                UPDATE catalog.partitions SET definition = jsonb_set(definition, '{Parameters}',
                    coalesce(definition -> 'Parameters', '{}'::jsonb) || jsonb_build_object($4::text, $5::text))
                WHERE database_name = $1 AND table_name = $2 AND partition_values = $3
                """,
                cancellationToken, ("", databaseName), ("", tableName), ("", values.ToArray()), ("", key), ("", value)) == 0)
        {
            throw new EntityNotFoundException($"Partition ({string.Join(", ", values)}) of table {databaseName}.{tableName} not found.");
        }
    }

    /// <summary>All partitions of a table (for crawlers), unpaged.</summary>
    public async Task<IReadOnlyList<Partition>> GetAllPartitionsAsync(string databaseName, string tableName,
        CancellationToken cancellationToken = default) =>
        await QueryAsync(
            $"SELECT {PartitionColumns} FROM catalog.partitions WHERE database_name = $1 AND table_name = $2 ORDER BY partition_values",
            ReadPartition, cancellationToken, ("", databaseName), ("", tableName));

    private static List<string> CheckValues(Table table, List<string>? values)
    {
        var keys = table.PartitionKeys ?? [];
        if (values is null || values.Count != keys.Count)
        {
            throw new InvalidInputException(
                $"Table {table.DatabaseName}.{table.Name} has {keys.Count} partition keys but {values?.Count ?? 0} values were given.");
        }

        for (var i = 0; i < keys.Count; i++)
        {
            if (!PartitionExpression.IsValidValue(values[i], keys[i].Type))
            {
                throw new InvalidInputException(
                    $"Partition value '{values[i]}' is not a valid {keys[i].Type} for key {keys[i].Name}.");
            }
        }

        return values;
    }

    private static Partition ReadPartition(NpgsqlDataReader r)
    {
        var definition = CatalogJson.Deserialize<Partition>(r.GetString(3));
        var parameters = new Dictionary<string, string>(definition.Parameters ?? []);
        if (!r.IsDBNull(4))
        {
            parameters["numFiles"] = r.GetInt32(4).ToString(CultureInfo.InvariantCulture);
        }

        if (!r.IsDBNull(5))
        {
            parameters["totalSize"] = r.GetInt64(5).ToString(CultureInfo.InvariantCulture);
        }

        return definition with
        {
            DatabaseName = r.GetString(0),
            TableName = r.GetString(1),
            Values = [.. r.GetFieldValue<string[]>(2)],
            LastAnalyzedTime = r.IsDBNull(6) ? definition.LastAnalyzedTime : r.GetFieldValue<DateTimeOffset>(6),
            CreationTime = r.GetFieldValue<DateTimeOffset>(7),
            Parameters = parameters,
        };
    }
}
