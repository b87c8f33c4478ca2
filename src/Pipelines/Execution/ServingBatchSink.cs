using Npgsql;
using Streams.Pipelines.Specs;
using Streams.Serving;

namespace Streams.Pipelines.Execution;

/// <summary>
/// The batch layer's serving write: one transaction for the whole run. The first step starts a batch
/// swap (<see cref="ServingStore.BeginSwapAsync"/>), every step's main rows go into the new generation
/// (and dead letters, when enabled, into <c>serving.dead_letters</c>), and completion flips generation and
/// watermark and stores the file bookmarks read, then commits. Disposing before completion rolls back:
/// the view keeps the previous generation.
/// </summary>
/// <param name="dataSource">The database with the serving schema.</param>
/// <param name="output">The serving output; created on first use.</param>
/// <param name="watermark">The instant before which the batch is complete; null: the runner's window watermark at completion.</param>
/// <param name="deadLetterPipeline">When set, dead letters go to <c>serving.dead_letters</c> under this name, in the swap's transaction.</param>
/// <param name="catalog">When given, a new output is registered in the Data Catalog.</param>
/// <param name="carryOver">
/// When set, asked at completion for time ranges: the new generation also gets the current one's rows outside them
/// (an incremental backfill writes only the rows of the ranges it recomputed); null: the new generation holds only the rows written.
/// </param>
/// <param name="beforeCommit">Runs in the swap's transaction just before the commit, to store what must commit with the batch (job bookmarks).</param>
public sealed class ServingBatchSink(NpgsqlDataSource dataSource, ServingOutputDefinition output, DateTime? watermark = null,
    string? deadLetterPipeline = null, Streams.Catalog.Store.CatalogStore? catalog = null,
    Func<IReadOnlyList<(DateTime From, DateTime To)>>? carryOver = null,
    Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task>? beforeCommit = null) : IPipelineSink
{
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private ServingStore.ServingBatchSwap? _swap;

    /// <summary>The serving output.</summary>
    public ServingOutputDefinition Output { get; } = output;

    /// <summary>Rows copied from the previous generation (see the carry-over ranges).</summary>
    public long CarriedOver { get; private set; }

    /// <summary>The generation swapped in, after completion.</summary>
    public long? Generation { get; private set; }

    /// <inheritdoc />
    public bool Accepts(string name) => name == SinkSpec.Main || (name == SinkSpec.DeadLetters && deadLetterPipeline is not null);

    /// <inheritdoc />
    public async Task WriteAsync(PipelineStep step, CancellationToken cancellationToken)
    {
        if (_swap is null)
        {
            await new ServingStore(dataSource, catalog).EnsureOutputAsync(Output, cancellationToken);
            _connection = await dataSource.OpenConnectionAsync(cancellationToken);
            _transaction = await _connection.BeginTransactionAsync(cancellationToken);
            _swap = await ServingStore.BeginSwapAsync(_connection, _transaction, Output, cancellationToken);
        }

        await _swap.WriteAsync(step.Result.Output.Records, cancellationToken);
        if (deadLetterPipeline is not null)
        {
            await PostgresDeadLetterTable.WriteAsync(_connection!, _transaction!, deadLetterPipeline, step.Result.DeadLetters, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task CompleteAsync(PipelineStep step, CancellationToken cancellationToken)
    {
        await WriteAsync(step, cancellationToken);
        var at = watermark ?? step.Watermark ?? throw new PipelineExecutionException(
            $"Serving output '{Output.Name}': the batch swap needs a watermark; the pipeline has no window (or read no record), so pass one to {nameof(ServingBatchSink)}.");
        if (carryOver is not null)
        {
            CarriedOver = await _swap!.CarryOverAsync(carryOver(), cancellationToken);
        }

        await _swap!.FinishAsync(DateTime.SpecifyKind(at, DateTimeKind.Utc), step.Positions, cancellationToken);
        if (beforeCommit is not null)
        {
            await beforeCommit(_connection!, _transaction!, cancellationToken);
        }

        await _transaction!.CommitAsync(cancellationToken);
        Generation = _swap.Generation;
        await DisposeAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
