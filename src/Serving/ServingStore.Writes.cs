using System.Text;
using Npgsql;
using Streams.Catalog.Postgres;
using Streams.Formats.Model;

namespace Streams.Serving;

/// <summary>Speed writes: rows by COPY (keyed rows merged through a staging table) and source positions.</summary>
public sealed partial class ServingStore
{
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
    /// Writes <paramref name="rows"/> into <paramref name="table"/> (tagged with <paramref name="generation"/> in a
    /// batch table). Rows of an output without a key are appended by COPY straight into the table: staging
    /// them first would only copy every row a second time. Keyed rows go through the staging table and
    /// an <c>INSERT ... ON CONFLICT</c> that merges them (<see cref="MergeStageAsync"/>).
    /// </summary>
    internal static async Task WriteRowsAsync(NpgsqlConnection connection, ServingOutputDefinition output, string table,
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
    internal static async Task CopyAsync(NpgsqlConnection connection, ServingOutputDefinition output, string copy,
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
    internal static Task WriteValueAsync(NpgsqlBinaryImporter importer, object value, NpgsqlTypes.NpgsqlDbType type,
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
    internal static async Task MergeStageAsync(NpgsqlConnection connection, ServingOutputDefinition output, string table,
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
        // In key order either way: writers of one output (the partitions of a pipeline, in one process or
        // several) then lock the rows they share in the same order, and cannot deadlock on them.
        var source = replaceOnly
            ? $"SELECT DISTINCT ON ({keys}) {selectColumns} FROM {Stage(output)} ORDER BY {keys}, _ord DESC"
            : $"SELECT {selectColumns} FROM {Stage(output)} ORDER BY {keys}";
        var conflict = generation is null ? keys : $"{GenerationColumn}, {keys}";
        var updates = fields.Where(f => !output.Keys.Contains(f.Name))
            .Select(f => $"{Q(f.Name)} = {MergeSql(output, f.Name)}").ToList();
        sql.Append($"INSERT INTO {target} AS t ({insertColumns}) {source} ON CONFLICT ({conflict}) ");
        sql.Append(updates.Count == 0 ? "DO NOTHING" : $"DO UPDATE SET {string.Join(", ", updates)}");

        await ServingMigrations.ExecuteAsync(connection, sql.ToString(), cancellationToken);
    }

    /// <summary>The SQL of a column's merged value, over the old row <c>t</c> and the new row <c>excluded</c>.</summary>
    internal static string MergeSql(ServingOutputDefinition output, string column)
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

    internal static async Task WritePositionsAsync(NpgsqlConnection connection, ServingOutputDefinition output,
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
}
