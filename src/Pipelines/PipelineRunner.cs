using Streams.Formats.Model;
using Streams.Pipelines.Execution;
using Streams.Pipelines.Expressions;
using Streams.Pipelines.Specs;
using Streams.Pipelines.Transforms;
using Streams.Pipelines.Windows;
using Streams.Serving;

namespace Streams.Pipelines;

/// <summary>
/// Executes a <see cref="PipelineSpec"/> over batches of records. The speed layer (one micro-batch at a
/// time), the batch layer and <c>streams run</c> all go through this class, so they share every line
/// of transform code. The transform chain is bound once per input schema and cached.
/// </summary>
public sealed class PipelineRunner
{
    private readonly PipelineSpec _spec;
    private readonly PipelineMode _mode;
    private readonly PipelineEnvironment _environment;
    private readonly Dictionary<RecordSchema, BoundTransform[]> _chains = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<RecordSchema> _validated = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<RecordSchema, ColumnarFilter[]?> _columnarFilters = new(ReferenceEqualityComparer.Instance);
    private readonly WindowAggregator? _aggregator;
    private readonly ITransformState?[] _states;

    // The spec's transforms, each replaced by what its PrepareAsync returned: the spec itself stays unchanged.
    private readonly Transform[] _transforms;
    private bool _prepared;

    /// <summary>Creates a runner for <paramref name="spec"/> in <paramref name="mode"/>.</summary>
    public PipelineRunner(PipelineSpec spec, PipelineMode mode, PipelineEnvironment? environment = null)
    {
        _spec = spec;
        _mode = mode;
        _environment = environment ?? new PipelineEnvironment();
        _states = [.. spec.Transforms.Select(t => t.CreateState())];
        _transforms = [.. spec.Transforms];
        if (spec.Window is { } window && spec.Aggregate is { } aggregate)
        {
            _aggregator = new WindowAggregator(window, aggregate, enforceLateness: mode == PipelineMode.Speed);
        }
    }

    /// <summary>The spec.</summary>
    public PipelineSpec Spec => _spec;

    /// <summary>Rows aggregated straight from the vectors of columnar batches (the others took the record path).</summary>
    public long ColumnarRows { get; private set; }

    /// <summary>The window watermark (speed layer), or null without a window or before any record.</summary>
    public DateTime? Watermark => _aggregator?.Watermark;

    /// <summary>What the pipeline's transforms need from the code that runs them (PostgreSQL, state).</summary>
    public TransformNeeds Needs => _spec.Transforms.Aggregate(TransformNeeds.None, (needs, t) => needs | t.Needs)
                                   | (_aggregator is not null && _mode == PipelineMode.Speed ? TransformNeeds.State : TransformNeeds.None);

    /// <summary>
    /// The state added since the last call (the window's largest event time, new deduplicate keys), to be
    /// saved in the same transaction as the rows and positions of the batch that produced it.
    /// </summary>
    public PipelineStateChanges TakeStateChanges()
    {
        var entries = new Dictionary<int, IReadOnlyList<string>>();
        for (var i = 0; i < _states.Length; i++)
        {
            if (_states[i]?.TakeAdded() is { Count: > 0 } added)
            {
                entries[i] = added;
            }
        }

        return new PipelineStateChanges(_aggregator?.MaxEventTime, entries);
    }

    /// <summary>Restores saved state (before the first batch, or when a partition is assigned): lateness and seen keys carry over.</summary>
    public void RestoreState(PipelineState state)
    {
        _aggregator?.RestoreMaxEventTime(state.MaxEventTime);
        foreach (var (index, entries) in state.TransformEntries)
        {
            var target = index >= 0 && index < _states.Length ? _states[index] : null;
            if (target is null)
            {
                throw new PipelineSpecException(
                    $"Pipeline '{_spec.Name}': saved state names transforms[{index}], which has no state in this spec; the spec changed since the state was saved. Use a new state key.");
            }

            target.Restore(entries);
        }
    }

    /// <summary>Lets transforms load what they need (lookup table columns). Called once before the first batch.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < _transforms.Length; i++)
        {
            _transforms[i] = await _spec.Transforms[i].PrepareAsync(_environment, cancellationToken);
        }

        _prepared = true;
    }

    /// <summary>The schema of the main output for input records of <paramref name="input"/>.</summary>
    /// <exception cref="PipelineSpecException">An expression names a field the input lacks, or does not type-check.</exception>
    public RecordSchema OutputSchema(RecordSchema input)
    {
        var chain = Chain(input);
        var transformed = chain.Length == 0 ? input : chain[^1].Output;
        try
        {
            return _aggregator?.Bind(transformed) ?? transformed;
        }
        catch (ExpressionException e)
        {
            throw new PipelineSpecException($"Pipeline '{_spec.Name}', window/aggregate: {Describe(e)}.", e);
        }
    }

    /// <summary>
    /// Checks the whole spec against <paramref name="input"/> before any record runs: every expression's fields and
    /// types, and every main-output sink's <c>time</c> and <c>keys</c> against the columns the output has.
    /// </summary>
    /// <returns>The main output's schema.</returns>
    /// <exception cref="PipelineSpecException">What does not fit, with where the spec says it.</exception>
    public RecordSchema Validate(RecordSchema input)
    {
        var output = OutputSchema(input);
        foreach (var sink in _spec.Sinks.Where(s => s.Output == SinkSpec.Main))
        {
            foreach (var (key, column) in sink.Keys.Select(k => ("keys", (string?)k)).Prepend(("time", sink.TimeColumn)))
            {
                if (column is not null && output.GetField(column) is null)
                {
                    var where = sink.Origin.Length > 0 ? sink.Origin : $"Pipeline '{_spec.Name}', sink {sink.Serving ?? sink.Output}";
                    throw new PipelineSpecException(
                        $"{where}.{key}: the output has no column '{column}'; its columns are {string.Join(", ", output.Fields.Select(f => f.Name))}.");
                }
            }
        }

        _validated.Add(input);
        return output;
    }

    /// <summary>The serving definition for <paramref name="sink"/> given the input schema (main output only).</summary>
    public ServingOutputDefinition ServingDefinition(SinkSpec sink, RecordSchema input)
    {
        var name = sink.Serving ?? throw new PipelineSpecException($"Pipeline '{_spec.Name}': sink of output '{sink.Output}' has no serving name.");
        var output = OutputSchema(input);
        if (sink.Output != SinkSpec.Main)
        {
            throw new PipelineSpecException($"Pipeline '{_spec.Name}': serving sinks of child outputs are not supported; sink '{name}' names output '{sink.Output}'.");
        }

        if (_aggregator is not null)
        {
            return _aggregator.ServingDefinition(name);
        }

        var time = sink.TimeColumn ?? throw new PipelineSpecException(
            $"Pipeline '{_spec.Name}': serving sink '{name}' needs 'time' (the event-time column compared with the batch watermark).");
        var keys = sink.Keys.Count == 0 || sink.Keys.Contains(time) ? sink.Keys : [.. sink.Keys, time];
        return new ServingOutputDefinition(name, output, keys, time);
    }

    /// <summary>
    /// The fields a columnar batch of <paramref name="input"/> rows needs (see <see cref="ColumnarBatch"/>), or null when the
    /// pipeline has a shape only the record path runs. Covered (batch layer): no transforms before a tumbling window over
    /// a timestamp field, grouped by top-level fields, with count/sum/avg/min/max of top-level numeric fields.
    /// </summary>
    public IReadOnlyList<string>? ColumnarFields(RecordSchema input)
    {
        if (ColumnarFilters(input) is not { } filters)
        {
            return null;
        }

        OutputSchema(input);
        return _aggregator!.ColumnarFields(input) is { } fields ? [.. fields.Concat(filters.SelectMany(f => f.Fields)).Distinct(StringComparer.Ordinal)] : null;
    }

    /// <summary>The spec's filters in columnar form when every transform is a filter that has one (and a window follows); else null.</summary>
    private ColumnarFilter[]? ColumnarFilters(RecordSchema input)
    {
        if (_mode != PipelineMode.Batch || _aggregator is null)
        {
            return null;
        }

        if (_columnarFilters.TryGetValue(input, out var cached))
        {
            return cached;
        }

        Chain(input);
        var filters = new List<ColumnarFilter>();
        foreach (var transform in _transforms)
        {
            if (transform is not FilterTransform filter || ColumnarFilter.TryCreate(filter.Condition, input) is not { } columnar)
            {
                filters = null;
                break;
            }

            filters.Add(columnar);
        }

        _columnarFilters[input] = cached = filters?.ToArray();
        return cached;
    }

    /// <summary>
    /// Runs one batch through the transforms (and the window, if any). A columnar batch is aggregated from its vectors
    /// where the pipeline's shape allows (<see cref="ColumnarFields"/>); otherwise its records are read and take the record path.
    /// </summary>
    public async Task<PipelineResult> ProcessAsync(RecordBatch batch, CancellationToken cancellationToken = default)
    {
        if (!_validated.Contains(batch.Schema))
        {
            Validate(batch.Schema);
        }

        if (batch.Columnar is { } columnar)
        {
            if (ColumnarFilters(batch.Schema) is { } filters && Keep(filters, columnar) is var (all, keep) && all
                && _aggregator!.AddColumns(columnar, keep) is { } rest)
            {
                ColumnarRows += columnar.Count - rest.Count;
                var deadLetters = new TransformContext();
                if (rest.Count > 0)
                {
                    var records = await batch.MaterializeAsync(cancellationToken);
                    _aggregator.Add(new RecordBatch(records.Schema, [.. rest.Select(i => records.Records[i])], [.. rest.Select(records.PositionOf)]), deadLetters);
                }

                return Result(new RecordBatch(_aggregator.Output!, []), deadLetters);
            }

            batch = await batch.MaterializeAsync(cancellationToken);
        }

        var context = new TransformContext();
        var current = batch;
        foreach (var transform in Chain(batch.Schema))
        {
            current = await transform.ApplyAsync(current, context, cancellationToken);
        }

        if (_aggregator is not null)
        {
            _aggregator.Add(current, context);
            current = _mode == PipelineMode.Speed ? _aggregator.Drain() : new RecordBatch(_aggregator.Output!, []);
        }

        return Result(current, context);
    }

    /// <summary>The rows the filters keep (null: all), and false when a filter cannot run over this batch's vectors.</summary>
    private static (bool All, bool[]? Keep) Keep(ColumnarFilter[] filters, ColumnarBatch batch)
    {
        if (filters.Length == 0)
        {
            return (true, null);
        }

        var keep = new bool[batch.Count];
        Array.Fill(keep, true);
        return (filters.All(f => f.TryApply(batch, keep)), keep);
    }

    /// <summary>Ends the input: in the batch layer, emits the aggregates of every window.</summary>
    public PipelineResult Complete()
    {
        var context = new TransformContext();
        var output = _aggregator is { Output: not null } ? _aggregator.Drain() : new RecordBatch(EmptySchema, []);
        return Result(output, context);
    }

    /// <summary>An expression error for a spec message: what is wrong, then the expression and the place in it.</summary>
    private static string Describe(ExpressionException e) =>
        $"{e.Detail.TrimEnd('.')} (in '{e.Expression}', at character {e.Position})";

    private static readonly RecordSchema EmptySchema = new(new SchemaName("empty", null), []);

    private static PipelineResult Result(RecordBatch output, TransformContext context) =>
        new(output, context.Children.ToDictionary(c => c.Key, c => (IReadOnlyList<RecordBatch>)c.Value), context.DeadLetters);

    private BoundTransform[] Chain(RecordSchema input)
    {
        if (_chains.TryGetValue(input, out var chain))
        {
            return chain;
        }

        if (!_prepared && _spec.Transforms.FirstOrDefault(t => t.Needs.HasFlag(TransformNeeds.Postgres)) is { } needy)
        {
            throw new InvalidOperationException($"Call PrepareAsync before processing: the pipeline has a {needy.Kind}.");
        }

        var bound = new List<BoundTransform>();
        var schema = input;
        for (var i = 0; i < _transforms.Length; i++)
        {
            BoundTransform next;
            try
            {
                next = _transforms[i].Bind(schema, _states[i]);
            }
            catch (ExpressionException e)
            {
                // The spec's transform carries where the spec defines it (a prepared replacement may not).
                var transform = _spec.Transforms[i];
                var where = transform.Origin.Length > 0 ? transform.Origin : $"Pipeline '{_spec.Name}', {transform.Label}";
                throw new PipelineSpecException($"{where}: {Describe(e)}.", e);
            }

            bound.Add(next);
            schema = next.Output;
        }

        _chains[input] = chain = [.. bound];
        return chain;
    }
}
