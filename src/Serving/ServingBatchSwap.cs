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
