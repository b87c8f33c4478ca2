using Streams.Formats.Model;
using Streams.Pipelines.Specs;

namespace Streams.Pipelines.Execution;

/// <summary>
/// The one execution loop of every layer: a batch from a source goes through the <see cref="PipelineRunner"/>,
/// every sink receives the main output, the child outputs and the dead letters, and the positions the batch
/// reached go, with the state it changed, to the sink that owns them (<see cref="IPipelineStateStore"/>),
/// which commits them in the same transaction as its data. <c>streams run</c> and the batch layer pull
/// with <see cref="RunAsync"/>; the speed layer pushes micro-batches with <see cref="ProcessAsync"/>.
/// </summary>
/// <remarks>
/// A batch whose positions are all committed already (a source replaying after a restart) is skipped,
/// so it is never applied twice. If a step throws, the state store committed nothing of it but the
/// runner's memory (seen keys, the window) moved on: the driver refuses further batches; build a new
/// runner and driver, which load the committed state, and replay from the committed positions.
/// Not thread-safe: one driver per consumer task.
/// </remarks>
public sealed class PipelineDriver
{
    private readonly IReadOnlyList<IPipelineSink> _sinks;
    private readonly IPipelineStateStore? _stateStore;
    private IReadOnlyList<SourcePosition> _committed = [];
    private RecordSchema? _input;
    private bool _started;
    private bool _completed;
    private Exception? _fault;

    /// <summary>Creates a driver over <paramref name="runner"/> writing to <paramref name="sinks"/>.</summary>
    /// <exception cref="PipelineExecutionException">No sink, or more than one sink owns positions.</exception>
    public PipelineDriver(PipelineRunner runner, IReadOnlyList<IPipelineSink> sinks)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(sinks);
        if (sinks.Count == 0)
        {
            throw new PipelineExecutionException($"Pipeline '{runner.Spec.Name}': a driver needs at least one sink.");
        }

        var stores = sinks.OfType<IPipelineStateStore>().ToList();
        if (stores.Count > 1)
        {
            throw new PipelineExecutionException(
                $"Pipeline '{runner.Spec.Name}': {stores.Count} sinks own source positions; positions commit with one sink's data, so give the driver one.");
        }

        Runner = runner;
        _sinks = sinks;
        _stateStore = stores.SingleOrDefault();
    }

    /// <summary>The runner (transforms and window).</summary>
    public PipelineRunner Runner { get; }

    /// <summary>The committed positions: loaded at start, advanced by every step.</summary>
    public IReadOnlyList<SourcePosition> Committed => _committed;

    /// <summary>Records received in batches that were processed.</summary>
    public long RecordsRead { get; private set; }

    /// <summary>Batches skipped because their positions were committed already.</summary>
    public long BatchesSkipped { get; private set; }

    /// <summary>Prepares the transforms (lookup tables) and loads the committed positions and state. Idempotent.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            return;
        }

        await Runner.PrepareAsync(cancellationToken);
        await LoadStateAsync(cancellationToken);
        _started = true;
    }

    /// <summary>
    /// Loads the committed positions and state from the state store (on start, and again when the speed
    /// layer is assigned partitions); without a store, nothing is committed.
    /// </summary>
    public async Task<PipelineState> LoadStateAsync(CancellationToken cancellationToken = default)
    {
        if (_stateStore is null)
        {
            return PipelineState.Empty;
        }

        var state = await _stateStore.LoadStateAsync(cancellationToken);
        Runner.RestoreState(state);
        _committed = SourcePositions.Merge(_committed, state.Positions);
        return state;
    }

    /// <summary>
    /// Processes one batch: transforms it, writes every sink and commits its positions. Returns false, doing
    /// nothing, when every position of the batch is committed already.
    /// </summary>
    public async Task<bool> ProcessAsync(SourceBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await StartAsync(cancellationToken);
        if (_completed)
        {
            throw new PipelineExecutionException($"Pipeline '{Runner.Spec.Name}': the driver was completed; create a new one.");
        }

        RequireHealthy();

        if (SourcePositions.AllCommitted(_committed, batch.Positions))
        {
            BatchesSkipped++;
            return false;
        }

        try
        {
            _input = batch.Records.Schema;
            var result = await Runner.ProcessAsync(batch.Records, cancellationToken);
            if (batch.DeadLetters is { Count: > 0 } unread)
            {
                result = result with { DeadLetters = [.. unread, .. result.DeadLetters] };
            }

            RecordsRead += batch.Records.Count;
            await WriteAsync(result, SourcePositions.Merge(_committed, batch.Positions), final: false, cancellationToken);
            return true;
        }
        catch (Exception e)
        {
            _fault = e;
            throw;
        }
    }

    /// <summary>Ends the input: emits what the runner held back (batch-layer windows) and completes every sink.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken);
        if (_completed)
        {
            return;
        }

        RequireHealthy();
        try
        {
            await WriteAsync(Runner.Complete(), _committed, final: true, cancellationToken);
            _completed = true;
        }
        catch (Exception e)
        {
            _fault = e;
            throw;
        }
    }

    private void RequireHealthy()
    {
        if (_fault is not null)
        {
            throw new PipelineExecutionException(
                $"Pipeline '{Runner.Spec.Name}': an earlier step failed ({_fault.Message}); its state is not committed, so build a new runner and driver and replay from the committed positions.");
        }
    }

    /// <summary>The pull loop: reads <paramref name="source"/> from the committed positions to its end, then completes.</summary>
    public async Task RunAsync(IRecordBatchSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await StartAsync(cancellationToken);
        await foreach (var batch in source.ReadAsync(_committed, cancellationToken).WithCancellation(cancellationToken))
        {
            await ProcessAsync(batch, cancellationToken);
        }

        await CompleteAsync(cancellationToken);
    }

    private async Task WriteAsync(PipelineResult result, IReadOnlyList<SourcePosition> positions, bool final, CancellationToken cancellationToken)
    {
        RequireSinks(result);
        var step = new PipelineStep(result, positions, Runner.TakeStateChanges(), _input is null ? null : Runner.OutputSchema(_input),
            Runner.Watermark, final);
        // The state store goes last: once it has committed the positions, every other sink holds the data.
        foreach (var sink in _sinks.Where(s => s != _stateStore).Append(_stateStore).OfType<IPipelineSink>())
        {
            if (final)
            {
                await sink.CompleteAsync(step, cancellationToken);
            }
            else
            {
                await sink.WriteAsync(step, cancellationToken);
            }
        }

        _committed = positions;
    }

    private void RequireSinks(PipelineResult result)
    {
        if (result.Output.Count > 0)
        {
            Require(SinkSpec.Main, result.Output.Count);
        }

        foreach (var (name, batches) in result.Children)
        {
            if (batches.Sum(b => b.Count) is var rows and > 0)
            {
                Require(name, rows);
            }
        }

        if (result.DeadLetters.Count > 0)
        {
            Require(SinkSpec.DeadLetters, result.DeadLetters.Count);
        }

        void Require(string output, int rows)
        {
            if (!_sinks.Any(s => s.Accepts(output)))
            {
                throw new PipelineExecutionException(
                    $"Pipeline '{Runner.Spec.Name}': {rows} rows of output '{output}' have no sink; add a sink for '{output}' so that nothing is dropped.");
            }
        }
    }
}
