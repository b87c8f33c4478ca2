using Streams.Catalog.Postgres;
using Npgsql;
using Streams.Formats.Model;

namespace Streams.Serving;

/// <summary>One batch swap in progress on a caller-owned transaction (see <see cref="ServingStore.BeginSwapAsync"/>).</summary>
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
        rows.Count == 0 ? Task.CompletedTask : ServingStore.WriteRowsAsync(_connection, _output, _output.BatchTable, Generation, rows, cancellationToken);

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
            ServingStore.RequireUtc(from);
            ServingStore.RequireUtc(to);
        }

        var s = ServingMigrations.Schema;
        var columns = string.Join(", ", _output.Schema.Fields.Select(f => ServingStore.Q(f.Name)));
        var local = PostgresTypeMap.Of(_output.Schema.GetField(_output.TimeColumn)!.Schema).SqlType != "timestamptz";
        string Bound(string b) => local ? $"({b} AT TIME ZONE 'UTC')" : b;
        var time = ServingStore.Q(_output.TimeColumn);
        await using var copy = new NpgsqlCommand($"""
            INSERT INTO {s}.{ServingStore.Q(_output.BatchTable)} ({ServingStore.GenerationColumn}, {columns})
            SELECT $1, {columns} FROM {s}.{ServingStore.Q(_output.BatchTable)} b
            WHERE b.{ServingStore.GenerationColumn} = $1 - 1
              AND NOT EXISTS (SELECT 1 FROM unnest($2::timestamptz[], $3::timestamptz[]) AS r(f, t)
                              WHERE b.{time} >= {Bound("r.f")} AND b.{time} < {Bound("r.t")})
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
        var time = ServingStore.Q(_output.TimeColumn);
        await using (var swap = new NpgsqlBatch(_connection)
                     {
                         BatchCommands =
                         {
                             ServingStore.Command($"UPDATE {s}.outputs SET generation = $2, watermark = $3, swapped_at = now() WHERE name = $1", _output.Name, Generation, watermark),
                             ServingStore.Command($"DELETE FROM {s}.{ServingStore.Q(_output.BatchTable)} WHERE {ServingStore.GenerationColumn} <> $1", Generation),
                             ServingStore.Command($"DELETE FROM {s}.{ServingStore.Q(_output.SpeedTable)} p USING {s}.outputs o WHERE o.name = $1 AND p.{time} < {ServingStore.WatermarkExpression(_output)}", _output.Name),
                         },
                     })
        {
            await swap.ExecuteNonQueryAsync(cancellationToken);
        }

        await ServingStore.WritePositionsAsync(_connection, _output, positions, cancellationToken);
    }

    internal void CheckWatermark(DateTime watermark)
    {
        ServingStore.RequireUtc(watermark);
        if (watermark < _current)
        {
            throw new ServingException(
                $"Serving output '{_output.Name}': the new batch watermark {watermark:O} is before the current one {_current:O}; " +
                "speed rows before the current watermark are already trimmed, so the view would have a gap.");
        }
    }
}
