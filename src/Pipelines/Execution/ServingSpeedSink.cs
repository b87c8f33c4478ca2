using Npgsql;
using Streams.Formats.Model;
using Streams.Pipelines.Specs;
using Streams.Serving;

namespace Streams.Pipelines.Execution;

/// <summary>
/// The speed layer's serving write: per step, in ONE PostgreSQL transaction, the main output rows into the
/// output's speed table (<see cref="ServingStore.WriteSpeedAsync(NpgsqlConnection, NpgsqlTransaction, ServingOutputDefinition, IReadOnlyList{GenericRecord}, IReadOnlyList{SourcePosition}, CancellationToken)"/>),
/// the source positions, the window's largest event time and new deduplicate keys (<see cref="PostgresPipelineState"/>)
/// and, when enabled, the dead letters (<see cref="PostgresDeadLetterTable"/>). It owns the positions: a
/// driver restarting on it resumes from what this sink committed.
/// </summary>
public sealed class ServingSpeedSink : IPipelineStateStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ServingStore _store;
    private readonly string? _deadLetterPipeline;
    private bool _ensured;

    /// <summary>Creates the sink.</summary>
    /// <param name="dataSource">The database with the serving schema (<see cref="ServingMigrations"/> applied).</param>
    /// <param name="output">The serving output (<see cref="PipelineRunner.ServingDefinition"/>); created on first use.</param>
    /// <param name="stateKey">Where the window and deduplicate state are saved; default the output name. One per driver.</param>
    /// <param name="deadLetterPipeline">When set, dead letters go to <c>serving.dead_letters</c> under this pipeline name, in the same transaction.</param>
    /// <param name="catalog">When given, a new output is registered in the Data Catalog.</param>
    public ServingSpeedSink(NpgsqlDataSource dataSource, ServingOutputDefinition output, string? stateKey = null, string? deadLetterPipeline = null,
        Streams.Catalog.Store.CatalogStore? catalog = null)
    {
        _dataSource = dataSource;
        _store = new ServingStore(dataSource, catalog);
        Output = output;
        StateKey = stateKey ?? output.Name;
        _deadLetterPipeline = deadLetterPipeline;
    }

    /// <summary>The serving output.</summary>
    public ServingOutputDefinition Output { get; }

    /// <summary>The key of the saved state.</summary>
    public string StateKey { get; }

    /// <inheritdoc />
    public bool Accepts(string output) => output == SinkSpec.Main || (output == SinkSpec.DeadLetters && _deadLetterPipeline is not null);

    /// <inheritdoc />
    public async Task<PipelineState> LoadStateAsync(CancellationToken cancellationToken)
    {
        var positions = await _store.ReadPositionsAsync(Output.Name, cancellationToken);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var (max, entries) = await PostgresPipelineState.LoadAsync(connection, StateKey, cancellationToken);
        return new PipelineState(positions, max, entries);
    }

    /// <summary>Creates the output's tables and view, or checks them (<see cref="ServingStore.EnsureOutputAsync"/>); the first write does it otherwise.</summary>
    public async Task EnsureOutputAsync(CancellationToken cancellationToken = default)
    {
        if (!_ensured)
        {
            await _store.EnsureOutputAsync(Output, cancellationToken);
            _ensured = true;
        }
    }

    /// <inheritdoc />
    public async Task WriteAsync(PipelineStep step, CancellationToken cancellationToken)
    {
        await EnsureOutputAsync(cancellationToken);

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await WriteAsync(connection, transaction, step, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Writes the step inside the caller's <paramref name="transaction"/> (the caller creates the output and commits).</summary>
    public async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PipelineStep step, CancellationToken cancellationToken)
    {
        await ServingStore.WriteSpeedAsync(connection, transaction, Output, step.Result.Output.Records, step.Positions, cancellationToken);
        if (_deadLetterPipeline is not null)
        {
            await PostgresDeadLetterTable.WriteAsync(connection, transaction, _deadLetterPipeline, step.Result.DeadLetters, cancellationToken);
        }

        await PostgresPipelineState.SaveAsync(connection, transaction, StateKey, step.State, cancellationToken);
    }

    /// <inheritdoc />
    public Task CompleteAsync(PipelineStep step, CancellationToken cancellationToken) => WriteAsync(step, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
