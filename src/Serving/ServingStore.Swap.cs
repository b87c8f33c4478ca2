using Npgsql;
using Streams.Formats.Model;

namespace Streams.Serving;

/// <summary>Batch swaps: a new generation, then generation and watermark flipped in one UPDATE.</summary>
public sealed partial class ServingStore
{
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

    internal static void RequireUtc(DateTime watermark)
    {
        if (watermark.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("The watermark must be a UTC DateTime.", nameof(watermark));
        }
    }

    internal static void RequireTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        if (!ReferenceEquals(transaction.Connection, connection))
        {
            throw new ArgumentException("The transaction must belong to the given connection (it was committed, rolled back or opened on another one).", nameof(transaction));
        }
    }
}
