using Streams.Catalog.Postgres;
using System.Text;
using System.Text.Json;
using Npgsql;
using Streams.Formats.Model;

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
public sealed class ServingStore(NpgsqlDataSource dataSource, Streams.Catalog.Store.CatalogStore? catalog = null)
{
    /// <summary>The prefix of state columns, which the merged view leaves out.</summary>
    public const string StateColumnPrefix = "__";

    private const string GenerationColumn = "_generation";

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

    /// <summary>
    /// Writes speed-layer rows and the source positions that produced them in one transaction: either
    /// both are stored or neither. Keyed rows are upserted (merging aggregate columns), others appended.
    /// </summary>
    public async Task WriteSpeedAsync(ServingOutputDefinition output, IReadOnlyList<GenericRecord> rows,
        IReadOnlyList<SourcePosition> positions, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await WriteSpeedAsync(connection, transaction, output, rows, positions, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Writes speed-layer rows and their source positions inside the caller's <paramref name="transaction"/>,
    /// so that the caller can store more with them (window and deduplicate state, dead letters) and commit once.
    /// </summary>
    public static async Task WriteSpeedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ServingOutputDefinition output,
        IReadOnlyList<GenericRecord> rows, IReadOnlyList<SourcePosition> positions, CancellationToken cancellationToken = default)
    {
        RequireTransaction(connection, transaction);
        if (rows.Count > 0)
        {
            await WriteRowsAsync(connection, output, output.SpeedTable, null, rows, cancellationToken);
        }

        await WritePositionsAsync(connection, output, positions, cancellationToken);
    }

    /// <summary>
    /// Swaps in a recomputed batch table in one transaction: writes <paramref name="rows"/> as a new
    /// generation, makes it current, advances the watermark, deletes the old generation and the speed
    /// rows before the watermark, and stores <paramref name="positions"/> (file bookmarks).
    /// </summary>
    /// <param name="output">The output.</param>
    /// <param name="rows">The batch rows, in chunks (each chunk is one COPY).</param>
    /// <param name="watermark">The batch is complete for every time before this instant.</param>
    /// <param name="positions">Bookmarks of the inputs the batch read.</param>
    /// <param name="cancellationToken">Cancels the swap; nothing changes then.</param>
    public async Task SwapBatchAsync(ServingOutputDefinition output, IAsyncEnumerable<IReadOnlyList<GenericRecord>> rows,
        DateTime watermark, IReadOnlyList<SourcePosition> positions, CancellationToken cancellationToken = default)
    {
        RequireUtc(watermark);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var swap = await BeginSwapAsync(connection, transaction, output, cancellationToken);
        swap.CheckWatermark(watermark);
        await foreach (var chunk in rows.WithCancellation(cancellationToken))
        {
            await swap.WriteAsync(chunk, cancellationToken);
        }

        await swap.FinishAsync(watermark, positions, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Starts a batch swap inside the caller's <paramref name="transaction"/>: locks the output's row
    /// (serializing swaps without blocking speed writes) and picks the next generation. Write the rows
    /// with <see cref="ServingBatchSwap.WriteAsync"/>, flip with <see cref="ServingBatchSwap.FinishAsync"/>, then commit.
    /// </summary>
    public static async Task<ServingBatchSwap> BeginSwapAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        ServingOutputDefinition output, CancellationToken cancellationToken = default)
    {
        RequireTransaction(connection, transaction);
        // FOR NO KEY UPDATE: serializes swaps of this output without blocking speed writes, whose
        // positions rows only take FOR KEY SHARE on the outputs row.
        await using var lockRow = new NpgsqlCommand(
            $"SELECT generation, watermark FROM {ServingMigrations.Schema}.outputs WHERE name = $1 FOR NO KEY UPDATE", connection);
        lockRow.Parameters.Add(new NpgsqlParameter { Value = output.Name });
        await using var reader = await lockRow.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new ServingException($"Serving output '{output.Name}' does not exist; create it with EnsureOutputAsync first.");
        }

        return new ServingBatchSwap(connection, output, reader.GetInt64(0) + 1, reader.GetFieldValue<DateTime>(1));
    }

    /// <summary>One batch swap in progress on a caller-owned transaction (see <see cref="BeginSwapAsync"/>).</summary>
    public sealed class ServingBatchSwap
    {
        private readonly NpgsqlConnection _connection;
        private readonly ServingOutputDefinition _output;
        private readonly DateTime _current;

        internal ServingBatchSwap(NpgsqlConnection connection, ServingOutputDefinition output, long generation, DateTime current)
        {
            _connection = connection;
            _output = output;
            Generation = generation;
            _current = current;
        }

        /// <summary>The generation being written.</summary>
        public long Generation { get; }

        /// <summary>Writes one chunk of batch rows (one COPY) into the new generation.</summary>
        public Task WriteAsync(IReadOnlyList<GenericRecord> rows, CancellationToken cancellationToken = default) =>
            rows.Count == 0 ? Task.CompletedTask : WriteRowsAsync(_connection, _output, _output.BatchTable, Generation, rows, cancellationToken);

        /// <summary>
        /// Copies the current generation's rows into the new one, except those whose time column falls in one of
        /// the <paramref name="replaced"/> ranges (from inclusive, to exclusive): an incremental backfill recomputes
        /// only those and writes them itself, before or after; the rows it writes must lie in the ranges (they are
        /// keyed by time too, so they cannot collide with the copied ones). Returns the rows copied.
        /// </summary>
        public async Task<long> CarryOverAsync(IReadOnlyList<(DateTime From, DateTime To)> replaced, CancellationToken cancellationToken = default)
        {
            foreach (var (from, to) in replaced)
            {
                RequireUtc(from);
                RequireUtc(to);
            }

            var s = ServingMigrations.Schema;
            var columns = string.Join(", ", _output.Schema.Fields.Select(f => Q(f.Name)));
            var local = PostgresTypeMap.Of(_output.Schema.GetField(_output.TimeColumn)!.Schema).SqlType != "timestamptz";
            string Bound(string b) => local ? $"({b} AT TIME ZONE 'UTC')" : b;
            await using var copy = new NpgsqlCommand($"""
                INSERT INTO {s}.{Q(_output.BatchTable)} ({GenerationColumn}, {columns})
                SELECT $1, {columns} FROM {s}.{Q(_output.BatchTable)} b
                WHERE b.{GenerationColumn} = $1 - 1
                  AND NOT EXISTS (SELECT 1 FROM unnest($2::timestamptz[], $3::timestamptz[]) AS r(f, t)
                                  WHERE b.{Q(_output.TimeColumn)} >= {Bound("r.f")} AND b.{Q(_output.TimeColumn)} < {Bound("r.t")})
                """, _connection);
            copy.Parameters.Add(new NpgsqlParameter { Value = Generation });
            copy.Parameters.Add(new NpgsqlParameter { Value = replaced.Select(r => r.From).ToArray() });
            copy.Parameters.Add(new NpgsqlParameter { Value = replaced.Select(r => r.To).ToArray() });
            return await copy.ExecuteNonQueryAsync(cancellationToken);
        }

        /// <summary>Makes the new generation current with <paramref name="watermark"/>, trims the old rows and stores <paramref name="positions"/>.</summary>
        public async Task FinishAsync(DateTime watermark, IReadOnlyList<SourcePosition> positions, CancellationToken cancellationToken = default)
        {
            CheckWatermark(watermark);
            var s = ServingMigrations.Schema;
            var time = Q(_output.TimeColumn);
            await using (var swap = new NpgsqlBatch(_connection)
                         {
                             BatchCommands =
                             {
                                 Command($"UPDATE {s}.outputs SET generation = $2, watermark = $3, swapped_at = now() WHERE name = $1", _output.Name, Generation, watermark),
                                 Command($"DELETE FROM {s}.{Q(_output.BatchTable)} WHERE {GenerationColumn} <> $1", Generation),
                                 Command($"DELETE FROM {s}.{Q(_output.SpeedTable)} p USING {s}.outputs o WHERE o.name = $1 AND p.{time} < {WatermarkExpression(_output)}", _output.Name),
                             },
                         })
            {
                await swap.ExecuteNonQueryAsync(cancellationToken);
            }

            await WritePositionsAsync(_connection, _output, positions, cancellationToken);
        }

        internal void CheckWatermark(DateTime watermark)
        {
            RequireUtc(watermark);
            if (watermark < _current)
            {
                throw new ServingException(
                    $"Serving output '{_output.Name}': the new batch watermark {watermark:O} is before the current one {_current:O}; " +
                    "speed rows before the current watermark are already trimmed, so the view would have a gap.");
            }
        }
    }

    private static void RequireUtc(DateTime watermark)
    {
        if (watermark.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("The watermark must be a UTC DateTime.", nameof(watermark));
        }
    }

    private static void RequireTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        if (!ReferenceEquals(transaction.Connection, connection))
        {
            throw new ArgumentException("The transaction must belong to the given connection (it was committed, rolled back or opened on another one).", nameof(transaction));
        }
    }

    /// <summary>The source positions stored for <paramref name="outputName"/>, ordered by source and partition.</summary>
    public async Task<IReadOnlyList<SourcePosition>> ReadPositionsAsync(string outputName, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT source, partition, \"offset\" FROM {ServingMigrations.Schema}.positions WHERE output = $1 ORDER BY source, partition");
        command.Parameters.Add(new NpgsqlParameter { Value = outputName });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var positions = new List<SourcePosition>();
        while (await reader.ReadAsync(cancellationToken))
        {
            positions.Add(new SourcePosition(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2)));
        }

        return positions;
    }

    /// <summary>The stored position of one source partition (the next offset or row to read), or null when none is stored.</summary>
    public async Task<SourcePosition?> ReadPositionAsync(string outputName, string source, int partition, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT \"offset\" FROM {ServingMigrations.Schema}.positions WHERE output = $1 AND source = $2 AND partition = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = outputName });
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = partition });
        return await command.ExecuteScalarAsync(cancellationToken) is long offset ? new SourcePosition(source, partition, offset) : null;
    }

    /// <summary>Every merged view with its watermark and row counts.</summary>
    public async Task<IReadOnlyList<ServingViewInfo>> ListViewsAsync(CancellationToken cancellationToken = default)
    {
        var names = new List<(string Name, DateTime Watermark, long Generation, DateTime? Swapped)>();
        await using (var command = dataSource.CreateCommand(
                         $"SELECT name, watermark, generation, swapped_at FROM {ServingMigrations.Schema}.outputs ORDER BY name"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add((reader.GetString(0),
                    reader.GetFieldValue<DateTime>(1),
                    reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTime>(3)));
            }
        }

        var views = new List<ServingViewInfo>();
        foreach (var (name, watermark, generation, swapped) in names)
        {
            var s = ServingMigrations.Schema;
            await using var count = dataSource.CreateCommand($"""
                SELECT (SELECT count(*) FROM {s}.{Q(name)}),
                       (SELECT count(*) FROM {s}.{Q(name + "_batch")} WHERE {GenerationColumn} = {generation}),
                       (SELECT count(*) FROM {s}.{Q(name + "_speed")})
                """);
            await using var reader = await count.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            views.Add(new ServingViewInfo(name, watermark == DateTime.MinValue ? null : watermark,
                reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), swapped));
        }

        return views;
    }

    private static string WatermarkExpression(ServingOutputDefinition output) =>
        PostgresTypeMap.Of(output.Schema.GetField(output.TimeColumn)!.Schema).SqlType == "timestamptz"
            ? "o.watermark"
            : "(o.watermark AT TIME ZONE 'UTC')";

    /// <summary>
    /// Writes <paramref name="rows"/> into <paramref name="table"/> (tagged with <paramref name="generation"/> in a
    /// batch table). Rows of an output without a key are appended by COPY straight into the table: staging
    /// them first would only copy every row a second time. Keyed rows go through the staging table and
    /// an <c>INSERT ... ON CONFLICT</c> that merges them (<see cref="MergeStageAsync"/>).
    /// </summary>
    private static async Task WriteRowsAsync(NpgsqlConnection connection, ServingOutputDefinition output, string table,
        long? generation, IReadOnlyList<GenericRecord> rows, CancellationToken cancellationToken)
    {
        var fields = output.Schema.Fields;
        var columns = string.Join(", ", fields.Select(f => Q(f.Name)));
        if (output.Keys.Count == 0)
        {
            var target = $"{ServingMigrations.Schema}.{Q(table)}";
            var targetColumns = generation is null ? columns : $"{GenerationColumn}, {columns}";
            await CopyAsync(connection, output, $"COPY {target} ({targetColumns}) FROM STDIN (FORMAT BINARY)", rows, generation, ordinal: false, cancellationToken);
            return;
        }

        await ServingMigrations.ExecuteAsync(connection, $"""
            CREATE TEMP TABLE IF NOT EXISTS {Stage(output)} ({string.Join(", ", fields.Select(f => $"{Q(f.Name)} {PostgresTypeMap.Of(f.Schema).SqlType}"))}, _ord bigint) ON COMMIT DROP;
            TRUNCATE {Stage(output)};
            """, cancellationToken);
        await CopyAsync(connection, output, $"COPY {Stage(output)} ({columns}, _ord) FROM STDIN (FORMAT BINARY)", rows, null, ordinal: true, cancellationToken);
        await MergeStageAsync(connection, output, table, generation, cancellationToken);
    }

    /// <summary>
    /// Runs the binary COPY <paramref name="copy"/>: per row the generation (when given), the output's
    /// columns, and the row's index in the write (when <paramref name="ordinal"/>; the merge orders by it).
    /// </summary>
    private static async Task CopyAsync(NpgsqlConnection connection, ServingOutputDefinition output, string copy,
        IReadOnlyList<GenericRecord> rows, long? generation, bool ordinal, CancellationToken cancellationToken)
    {
        var fields = output.Schema.Fields;
        var types = fields.Select(f => PostgresTypeMap.Of(f.Schema)).ToArray();
        await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        for (var row = 0; row < rows.Count; row++)
        {
            var record = rows[row];
            await importer.StartRowAsync(cancellationToken);
            if (generation is { } g)
            {
                await importer.WriteAsync(g, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
            }

            for (var i = 0; i < fields.Count; i++)
            {
                var value = record[fields[i].Position];
                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                    continue;
                }

                object converted;
                try
                {
                    converted = types[i].Convert(value);
                }
                catch (Exception e) when (e is OverflowException or InvalidCastException or FormatException)
                {
                    throw new ServingException(
                        $"Serving output '{output.Name}', row {row}, column '{fields[i].Name}': value {ValueEquality.Format(value)} cannot be stored as {types[i].SqlType}: {e.Message}", e);
                }

                await WriteValueAsync(importer, converted, types[i].DbType, cancellationToken);
            }

            if (ordinal)
            {
                await importer.WriteAsync((long)row, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Writes one value through its CLR type, so Npgsql picks the writer for that type statically instead
    /// of dispatching on the runtime type of a boxed <see cref="object"/> for every value.
    /// </summary>
    private static Task WriteValueAsync(NpgsqlBinaryImporter importer, object value, NpgsqlTypes.NpgsqlDbType type,
        CancellationToken cancellationToken) => value switch
    {
        long v => importer.WriteAsync(v, type, cancellationToken),
        int v => importer.WriteAsync(v, type, cancellationToken),
        double v => importer.WriteAsync(v, type, cancellationToken),
        float v => importer.WriteAsync(v, type, cancellationToken),
        bool v => importer.WriteAsync(v, type, cancellationToken),
        string v => importer.WriteAsync(v, type, cancellationToken),
        DateTime v => importer.WriteAsync(v, type, cancellationToken),
        decimal v => importer.WriteAsync(v, type, cancellationToken),
        _ => importer.WriteAsync(value, type, cancellationToken),
    };

    /// <summary>Upserts the staged rows of a keyed output into <paramref name="table"/>, merging by key.</summary>
    private static async Task MergeStageAsync(NpgsqlConnection connection, ServingOutputDefinition output, string table,
        long? generation, CancellationToken cancellationToken)
    {
        var fields = output.Schema.Fields;
        var target = $"{ServingMigrations.Schema}.{Q(table)}";
        var columns = string.Join(", ", fields.Select(f => Q(f.Name)));
        var insertColumns = generation is null ? columns : $"{GenerationColumn}, {columns}";
        var selectColumns = generation is null ? columns : $"{generation}, {columns}";
        var sql = new StringBuilder();
        var keys = string.Join(", ", output.Keys.Select(Q));
        var replaceOnly = fields.All(f => output.MergeOf(f.Name) == ColumnMerge.Replace);
        // Two rows of one key in one write: with replace semantics the last one wins; aggregate
        // partial states must already be combined per key (PostgreSQL then reports the duplicate).
        var source = replaceOnly
            ? $"SELECT DISTINCT ON ({keys}) {selectColumns} FROM {Stage(output)} ORDER BY {keys}, _ord DESC"
            : $"SELECT {selectColumns} FROM {Stage(output)}";
        var conflict = generation is null ? keys : $"{GenerationColumn}, {keys}";
        var updates = fields.Where(f => !output.Keys.Contains(f.Name))
            .Select(f => $"{Q(f.Name)} = {MergeSql(output, f.Name)}").ToList();
        sql.Append($"INSERT INTO {target} AS t ({insertColumns}) {source} ON CONFLICT ({conflict}) ");
        sql.Append(updates.Count == 0 ? "DO NOTHING" : $"DO UPDATE SET {string.Join(", ", updates)}");

        await ServingMigrations.ExecuteAsync(connection, sql.ToString(), cancellationToken);
    }

    /// <summary>The SQL of a column's merged value, over the old row <c>t</c> and the new row <c>excluded</c>.</summary>
    private static string MergeSql(ServingOutputDefinition output, string column)
    {
        string Old(string c) => $"t.{Q(c)}";
        string New(string c) => $"excluded.{Q(c)}";
        return output.MergeOf(column) switch
        {
            ColumnMerge.Earliest e => $"(CASE WHEN {Old(e.OrderColumn)} IS NULL OR {New(e.OrderColumn)} < {Old(e.OrderColumn)} THEN {New(column)} ELSE {Old(column)} END)",
            ColumnMerge.Latest l => $"(CASE WHEN {Old(l.OrderColumn)} IS NULL OR {New(l.OrderColumn)} > {Old(l.OrderColumn)} THEN {New(column)} ELSE {Old(column)} END)",
            ColumnMerge.Ratio r => $"(({MergeSql(output, r.Numerator)})::double precision / NULLIF(({MergeSql(output, r.Denominator)}), 0))",
            ColumnMerge.SetSize z => $"jsonb_array_length({MergeSql(output, z.SetColumn)})",
            var m when m == ColumnMerge.Add => $"COALESCE({Old(column)} + {New(column)}, {Old(column)}, {New(column)})",
            var m when m == ColumnMerge.Least => $"LEAST({Old(column)}, {New(column)})",
            var m when m == ColumnMerge.Greatest => $"GREATEST({Old(column)}, {New(column)})",
            var m when m == ColumnMerge.SetUnion =>
                $"(SELECT COALESCE(jsonb_agg(v ORDER BY v), '[]'::jsonb) FROM (SELECT jsonb_array_elements(COALESCE({Old(column)}, '[]'::jsonb)) UNION SELECT jsonb_array_elements(COALESCE({New(column)}, '[]'::jsonb))) u(v))",
            _ => New(column),
        };
    }

    private static async Task WritePositionsAsync(NpgsqlConnection connection, ServingOutputDefinition output,
        IReadOnlyList<SourcePosition> positions, CancellationToken cancellationToken)
    {
        if (positions.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand($"""
            INSERT INTO {ServingMigrations.Schema}.positions (output, source, partition, "offset")
            SELECT $1, s, p, o FROM unnest($2::text[], $3::integer[], $4::bigint[]) AS u(s, p, o)
            ON CONFLICT (output, source, partition) DO UPDATE SET "offset" = excluded."offset", updated_at = now()
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = output.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = positions.Select(p => p.Source).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = positions.Select(p => p.Partition).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = positions.Select(p => p.Offset).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }

    private static string Stage(ServingOutputDefinition output) => Q("stage_" + output.Name);

    private static string Q(string identifier) => PostgresTypeMap.Quote(identifier);
}
