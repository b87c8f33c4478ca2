using Npgsql;
using Streams.Catalog.Model;
using Streams.Catalog.Postgres;
using Streams.Catalog.Schemas;

namespace Streams.Catalog.Crawlers;

/// <summary>
/// Crawls PostgreSQL tables through <c>information_schema</c>, for a JDBC target path
/// <c>database/schema/table</c> where the table part may use <c>%</c> (SQL LIKE). Connection properties:
/// <c>JDBC_CONNECTION_URL</c> (<c>jdbc:postgresql://host:port/database</c>), <c>USERNAME</c>, <c>PASSWORD</c>.
/// Tables are named <c>database_schema_table</c>, as Glue's JDBC crawler names them.
/// </summary>
public sealed class PostgresCrawler(Crawler crawler, CrawlMetrics metrics)
{
    /// <summary>Reads the tables <paramref name="target"/> names.</summary>
    public async Task<IReadOnlyList<CrawledTable>> CrawlAsync(JdbcTarget target, IReadOnlyDictionary<string, string> connection,
        CancellationToken cancellationToken)
    {
        var parts = (target.Path ?? "").Split('/');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            throw new InvalidInputException($"JDBC target path '{target.Path}' must be database/schema/table (the table may use %).");
        }

        var (database, schema, table) = (parts[0], parts[1], parts[2]);
        var exclusions = (target.Exclusions ?? []).Select(p => new ExclusionGlob(p)).ToList();
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString(connection, database));
        await using var command = dataSource.CreateCommand(
            """
            SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.numeric_precision, c.numeric_scale, c.is_nullable
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = $1 AND c.table_name LIKE $2 AND t.table_type IN ('BASE TABLE', 'VIEW')
            ORDER BY c.table_name, c.ordinal_position
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        var columns = new Dictionary<string, List<Column>>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if (!columns.TryGetValue(name, out var list))
                {
                    columns[name] = list = [];
                }

                list.Add(new Column
                {
                    Name = reader.GetString(1),
                    Type = GlueType(reader.GetString(2), reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetInt32(5)),
                    Parameters = new Dictionary<string, string> { ["nullable"] = reader.GetString(6) == "YES" ? "true" : "false" },
                });
            }
        }

        var tables = new List<CrawledTable>();
        foreach (var (name, list) in columns)
        {
            var path = $"{database}/{schema}/{name}";
            if (exclusions.Any(g => g.IsMatch(path)))
            {
                continue;
            }

            metrics.FileRead();
            tables.Add(new CrawledTable(new TableInput
            {
                Name = $"{crawler.TablePrefix}{database}_{schema}_{name}".ToLowerInvariant(),
                TableType = "EXTERNAL_TABLE",
                StorageDescriptor = new StorageDescriptor
                {
                    Columns = list,
                    Location = $"{database}.{schema}.{name}",
                    Parameters = new Dictionary<string, string> { ["classification"] = "postgresql" },
                },
                PartitionKeys = [],
                Parameters = new Dictionary<string, string>
                {
                    ["classification"] = "postgresql",
                    ["connectionName"] = target.ConnectionName ?? "",
                    ["typeOfData"] = "table",
                },
            }, []));
        }

        return tables;
    }

    private static string ConnectionString(IReadOnlyDictionary<string, string> connection, string database)
    {
        var url = connection.GetValueOrDefault("JDBC_CONNECTION_URL")
                  ?? throw new InvalidInputException("The JDBC connection has no JDBC_CONNECTION_URL.");
        const string Prefix = "jdbc:postgresql://";
        if (!url.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidInputException($"JDBC_CONNECTION_URL '{url}' is not a jdbc:postgresql:// URL.");
        }

        var uri = new Uri("postgresql://" + url[Prefix.Length..]);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
            Username = connection.GetValueOrDefault("USERNAME"),
            Password = connection.GetValueOrDefault("PASSWORD"),
        }.ConnectionString;
    }

    /// <summary>The Glue type of a PostgreSQL column: <see cref="GlueTypes.ToTypeString"/> of its <see cref="PostgresTypeMap.FromSqlType"/> schema.</summary>
    public static string GlueType(string dataType, string udtName, int? precision, int? scale) =>
        GlueTypes.ToTypeString(PostgresTypeMap.FromSqlType(dataType, precision, scale, udtName));
}
