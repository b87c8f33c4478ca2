using Streams.Catalog.Postgres;
using Npgsql;
using NpgsqlTypes;
using Streams.Formats.Model;
using Streams.Pipelines.Values;
using Streams.Serving;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// Enriches records from a PostgreSQL table (a serving table or any reference table): for each batch,
/// the rows whose key matches one of the batch's keys are loaded with one query, and their columns
/// are appended. A left join by default (no match: nulls); an inner join drops records without a match.
/// A key with several rows yields one output record per row.
/// </summary>
public sealed class JoinTransform(string table, string leftField, string rightColumn, IReadOnlyList<string>? columns = null,
    string prefix = "", bool inner = false) : Transform
{
    /// <summary>The table, <c>schema.table</c> or <c>table</c> (schema public).</summary>
    public string Table { get; } = table;

    /// <summary>The input field holding the key.</summary>
    public string LeftField { get; } = leftField;

    /// <summary>The table column matched against the key.</summary>
    public string RightColumn { get; } = rightColumn;

    /// <summary>The table columns to append (null: all but the key column).</summary>
    public IReadOnlyList<string>? Columns { get; } = columns;

    /// <summary>A prefix for the appended column names.</summary>
    public string Prefix { get; } = prefix;

    /// <summary>True to drop records without a match.</summary>
    public bool Inner { get; } = inner;

    /// <inheritdoc />
    public override string Kind => "join";

    /// <inheritdoc />
    public override TransformNeeds Needs => TransformNeeds.Postgres;

    /// <inheritdoc />
    public override async Task<Transform> PrepareAsync(PipelineEnvironment environment, CancellationToken cancellationToken)
    {
        var dataSource = environment.Postgres ?? throw Error($"joining with table '{Table}' needs a PostgreSQL connection (Streams:Postgres:ConnectionString)");
        var (schemaName, tableName) = SplitTable();
        await using var command = dataSource.CreateCommand(
            "SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position");
        command.Parameters.Add(new NpgsqlParameter { Value = schemaName });
        command.Parameters.Add(new NpgsqlParameter { Value = tableName });
        var found = new List<(string, Schema)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add((reader.GetString(0), PostgresTypeMap.FromSqlType(reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetInt32(3))));
            }
        }

        if (found.Count == 0)
        {
            throw Error($"table '{Table}' does not exist or has no columns visible to this connection");
        }

        return new Prepared(this, dataSource, [.. found]) { Label = Label };
    }

    /// <inheritdoc />
    public override BoundTransform Bind(RecordSchema input) =>
        throw Error("the lookup table was not loaded; bind the transform PrepareAsync returns");

    private (string Schema, string Table) SplitTable()
    {
        var dot = Table.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? ("public", Table) : (Table[..dot], Table[(dot + 1)..]);
    }

    /// <summary>The join with its lookup table's columns loaded and the connection to query it.</summary>
    private sealed class Prepared(JoinTransform join, NpgsqlDataSource dataSource, (string Name, Schema Schema)[] tableColumns) : Transform
    {
        public override string Kind => join.Kind;

        public override TransformNeeds Needs => join.Needs;

        public override BoundTransform Bind(RecordSchema input) => join.Bind(input, dataSource, tableColumns, Name);
    }

    private BoundTransform Bind(RecordSchema input, NpgsqlDataSource dataSource, (string Name, Schema Schema)[] tableColumns, string label)
    {
        var left = FieldPath.Resolve(input, LeftField, d => Error(d));
        if (!Array.Exists(tableColumns, c => c.Name == RightColumn))
        {
            throw Error($"table '{Table}' has no column '{RightColumn}'; it has {string.Join(", ", tableColumns.Select(c => c.Name))}");
        }

        var picked = (Columns ?? tableColumns.Where(c => c.Name != RightColumn).Select(c => c.Name).ToList())
            .Select(name => Array.Find(tableColumns, c => c.Name == name) is { Name: not null } column
                ? column
                : throw Error($"table '{Table}' has no column '{name}'; it has {string.Join(", ", tableColumns.Select(c => c.Name))}"))
            .ToArray();
        var added = picked.Select(c => new Field(Prefix + c.Name, UnionSchema.Nullable(c.Schema))).ToList();
        foreach (var clash in added.Where(f => input.GetField(f.Name) is not null))
        {
            throw Error($"the joined column '{clash.Name}' clashes with an input field; set a prefix");
        }

        var (schemaName, tableName) = SplitTable();
        var keyType = PostgresTypeMap.Of(left.Schema);
        var sql = $"SELECT {PostgresTypeMap.Quote(RightColumn)}, {string.Join(", ", picked.Select(c => PostgresTypeMap.Quote(c.Name)))} " +
                  $"FROM {PostgresTypeMap.Quote(schemaName)}.{PostgresTypeMap.Quote(tableName)} WHERE {PostgresTypeMap.Quote(RightColumn)} = ANY($1)";
        var casts = picked.Select(c => ModelCast.To(UnionSchema.Nullable(c.Schema))).ToArray();
        var keyCast = ModelCast.To(UnionSchema.Nullable(left.Schema));
        return new Bound(Schemas.Record(input, input.Fields.Concat(added)), dataSource, sql, left, keyType, keyCast, casts, Inner, label);
    }

    private sealed class Bound(RecordSchema output, NpgsqlDataSource dataSource, string sql, FieldPath left, PostgresTypeMap.ColumnType keyType,
        Func<object?, object?> keyCast, Func<object?, object?>[] casts, bool inner, string label) : BoundTransform(output)
    {
        public override async ValueTask<RecordBatch> ApplyAsync(RecordBatch batch, TransformContext context, CancellationToken cancellationToken)
        {
            var keys = new object?[batch.Count];
            var distinct = new HashSet<object>(ValueEquality.Instance!);
            for (var i = 0; i < batch.Count; i++)
            {
                keys[i] = left.Read(batch.Records[i]);
                if (keys[i] is { } key)
                {
                    distinct.Add(key);
                }
            }

            var matches = new Dictionary<object, List<object?[]>>(ValueEquality.Instance!);
            if (distinct.Count > 0)
            {
                await using var command = dataSource.CreateCommand(sql);
                command.Parameters.Add(new NpgsqlParameter
                {
                    NpgsqlDbType = NpgsqlDbType.Array | keyType.DbType,
                    Value = distinct.Select(keyType.Convert).ToArray(),
                });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    object? key;
                    var row = new object?[casts.Length];
                    try
                    {
                        key = keyCast(PostgresTypeMap.FromDatabase(reader.GetValue(0)));
                        for (var c = 0; c < casts.Length; c++)
                        {
                            row[c] = casts[c](PostgresTypeMap.FromDatabase(reader.GetValue(c + 1)));
                        }
                    }
                    catch (InvalidCastException e)
                    {
                        throw new TransformException($"{label}: a row of the lookup table does not convert: {e.Message}", e);
                    }

                    if (key is null)
                    {
                        continue;
                    }

                    if (!matches.TryGetValue(key, out var rows))
                    {
                        matches[key] = rows = [];
                    }

                    rows.Add(row);
                }
            }

            var builder = RecordBatch.CreateBuilder(Output, batch.Count);
            var width = batch.Schema.Fields.Count;
            var none = new[] { new object?[casts.Length] };
            for (var i = 0; i < batch.Count; i++)
            {
                IEnumerable<object?[]> rows = keys[i] is { } key && matches.TryGetValue(key, out var found) ? found : inner ? [] : none;
                foreach (var row in rows)
                {
                    var values = new object?[Output.Fields.Count];
                    batch.Records[i].Values.CopyTo(values);
                    row.CopyTo(values, width);
                    builder.Add(new GenericRecord(Output, values), batch.PositionOf(i));
                }
            }

            return builder.Build();
        }
    }
}
