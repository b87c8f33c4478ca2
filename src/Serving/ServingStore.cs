using System.Text.Json;
using Npgsql;
using Streams.Catalog.Postgres;

namespace Streams.Serving;

/// <summary>
/// The serving layer's write side. For each output, schema <c>serving</c> holds a speed table
/// (<c>name_speed</c>), a batch table (<c>name_batch</c>, rows tagged with a generation), the output's
/// watermark and current generation (in <c>serving.outputs</c>), and the merged view <c>name</c> = batch
/// rows before the watermark ∪ speed rows from it on.
/// </summary>
/// <remarks>
/// A batch swap writes a new generation next to the old one and then flips generation and watermark
/// with one UPDATE: plain MVCC, so queries never block on the swap nor see half of it (a rename-based
/// swap would need ACCESS EXCLUSIVE locks on the view and its tables, and deadlock-prone ordering).
/// Columns whose names start with <c>__</c> hold aggregate state (sums behind an average, the set behind
/// a count distinct) and are left out of the view.
/// </remarks>
/// <param name="dataSource">The PostgreSQL database of the serving schema.</param>
/// <param name="catalog">When given, new outputs are registered in the Data Catalog (<see cref="ServingCatalog"/>).</param>
public sealed partial class ServingStore(NpgsqlDataSource dataSource, Streams.Catalog.Store.CatalogStore? catalog = null)
{
    /// <summary>The prefix of state columns, which the merged view leaves out.</summary>
    public const string StateColumnPrefix = "__";

    internal const string GenerationColumn = "_generation";

    /// <summary>Creates the output's tables and view, or checks that the existing ones have the same columns.</summary>
    public async Task EnsureOutputAsync(ServingOutputDefinition output, CancellationToken cancellationToken = default)
    {
        var columns = output.Schema.Fields.Select(f => (f.Name, Type: PostgresTypeMap.Of(f.Schema).SqlType)).ToList();
        var columnsJson = JsonSerializer.Serialize(columns.Select(c => new[] { c.Name, c.Type }));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ServingMigrations.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock(hashtext('serving:' || '{output.Name}'))", cancellationToken);
        await using (var find = new NpgsqlCommand($"SELECT columns::text, keys, time_column FROM {ServingMigrations.Schema}.outputs WHERE name = $1", connection))
        {
            find.Parameters.Add(new NpgsqlParameter { Value = output.Name });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                var existing = JsonSerializer.Serialize(JsonSerializer.Deserialize<string[][]>(reader.GetString(0)));
                var keys = reader.GetFieldValue<string[]>(1);
                var timeColumn = reader.GetString(2);
                if (existing != columnsJson || !keys.SequenceEqual(output.Keys) || timeColumn != output.TimeColumn)
                {
                    throw new ServingException(
                        $"Serving output '{output.Name}' exists with columns {existing}, keys [{string.Join(", ", keys)}] and time column '{timeColumn}'; " +
                        $"the pipeline now declares {columnsJson}, keys [{string.Join(", ", output.Keys)}] and '{output.TimeColumn}'. Drop the output or rename it.");
                }

                return;
            }
        }

        var timeType = columns.Single(c => c.Name == output.TimeColumn).Type;
        var watermark = timeType switch
        {
            "timestamptz" => "o.watermark",
            "timestamp" or "date" => "(o.watermark AT TIME ZONE 'UTC')",
            _ => throw new ServingException(
                $"Serving output '{output.Name}': time column '{output.TimeColumn}' is {timeType}; it must be a timestamp or a date."),
        };
        var columnList = string.Join(", ", columns.Select(c => $"{Q(c.Name)} {c.Type}"));
        var keyList = string.Join(", ", output.Keys.Select(Q));
        var visible = output.Schema.Fields.Where(f => !f.Name.StartsWith(StateColumnPrefix, StringComparison.Ordinal)).ToList();
        string Select(string alias) => string.Join(", ", visible.Select(f => $"{alias}.{Q(f.Name)}"));
        var time = Q(output.TimeColumn);
        var s = ServingMigrations.Schema;
        await ServingMigrations.ExecuteAsync(connection, $"""
            INSERT INTO {s}.outputs (name, columns, keys, time_column) VALUES ('{output.Name}', '{columnsJson.Replace("'", "''", StringComparison.Ordinal)}', ARRAY[{string.Join(", ", output.Keys.Select(k => $"'{k}'"))}]::text[], '{output.TimeColumn}');
            CREATE TABLE {s}.{Q(output.SpeedTable)} ({columnList}{(output.Keys.Count > 0 ? $", PRIMARY KEY ({keyList})" : "")});
            CREATE INDEX ON {s}.{Q(output.SpeedTable)} ({time});
            CREATE TABLE {s}.{Q(output.BatchTable)} ({GenerationColumn} bigint NOT NULL, {columnList}{(output.Keys.Count > 0 ? $", PRIMARY KEY ({GenerationColumn}, {keyList})" : "")});
            CREATE INDEX ON {s}.{Q(output.BatchTable)} ({GenerationColumn}, {time});
            CREATE VIEW {s}.{Q(output.Name)} AS
                SELECT {Select("b")} FROM {s}.{Q(output.BatchTable)} b JOIN {s}.outputs o ON o.name = '{output.Name}'
                WHERE b.{GenerationColumn} = o.generation AND b.{time} < {watermark}
                UNION ALL
                SELECT {Select("p")} FROM {s}.{Q(output.SpeedTable)} p JOIN {s}.outputs o ON o.name = '{output.Name}'
                WHERE p.{time} >= {watermark};
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (catalog is not null)
        {
            await ServingCatalog.RegisterAsync(catalog, output, cancellationToken);
        }
    }

    internal static string WatermarkExpression(ServingOutputDefinition output) =>
        PostgresTypeMap.Of(output.Schema.GetField(output.TimeColumn)!.Schema).SqlType == "timestamptz"
            ? "o.watermark"
            : "(o.watermark AT TIME ZONE 'UTC')";

    internal static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }

    internal static string Stage(ServingOutputDefinition output) => Q("stage_" + output.Name);

    internal static string Q(string identifier) => PostgresTypeMap.Quote(identifier);
}
