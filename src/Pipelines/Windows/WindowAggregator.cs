using Streams.Formats.Model;
using Streams.Pipelines.Expressions;
using Streams.Pipelines.Transforms;
using Streams.Pipelines.Values;
using Streams.Serving;

namespace Streams.Pipelines.Windows;

/// <summary>
/// Groups records into event-time windows and aggregates them. Output rows hold the group fields,
/// <c>window_start</c>, <c>window_end</c>, the measures and their state columns (prefix <c>__</c>), keyed
/// by group + window start, so that partial rows of one key merge in the serving table.
/// </summary>
/// <remarks>
/// The speed layer drains after each micro-batch and writes partial aggregates (merged by the serving
/// upsert together with the batch's offsets); the batch layer drains once at the end. Both give the
/// same totals for the same records. Late records are rejected only when <c>enforceLateness</c> is set
/// (the speed layer): the batch layer recomputes from the full history, which is how late data is
/// eventually counted.
/// </remarks>
public sealed partial class WindowAggregator
{
    private readonly WindowSpec _window;
    private readonly AggregateSpec _aggregate;
    private readonly bool _enforceLateness;
    private readonly string _label;
    private readonly Dictionary<object?[], Accumulator[]> _groups = new(KeyComparer.Instance);
    private RecordSchema? _input;
    private CompiledExpression? _time;
    private FieldPath[] _groupPaths = [];
    private (MeasureSpec Spec, CompiledExpression? Argument, int Scale, IReadOnlyList<MeasureColumns.Column> Columns)[] _measures = [];
    private DateTime? _maxEventTime;

    /// <summary>Creates an aggregator; <paramref name="enforceLateness"/> rejects late records (speed layer).</summary>
    public WindowAggregator(WindowSpec window, AggregateSpec aggregate, bool enforceLateness, string label = "window")
    {
        _window = window;
        _aggregate = aggregate;
        _enforceLateness = enforceLateness;
        _label = label;
    }

    /// <summary>The output schema (set by <see cref="Bind"/>).</summary>
    public RecordSchema? Output { get; private set; }

    /// <summary>The watermark: the largest event time seen minus the watermark delay; null before any record.</summary>
    public DateTime? Watermark => _maxEventTime is { } max ? max - _window.WatermarkDelay : null;

    /// <summary>The largest event time seen (the state behind <see cref="Watermark"/>), or null before any record.</summary>
    public DateTime? MaxEventTime => _maxEventTime;

    /// <summary>Restores the largest event time saved earlier, so that lateness survives a restart; never moves it back.</summary>
    public void RestoreMaxEventTime(DateTime? maxEventTime)
    {
        if (maxEventTime is { } restored && (_maxEventTime is null || restored > _maxEventTime))
        {
            _maxEventTime = DateTime.SpecifyKind(restored, DateTimeKind.Utc);
        }
    }

    /// <summary>Compiles the window against the input schema and returns the output schema. One input schema per aggregator.</summary>
    public RecordSchema Bind(RecordSchema input)
    {
        if (Output is not null && ReferenceEquals(input, _input))
        {
            return Output;
        }

        if (_groups.Count > 0)
        {
            throw new TransformException($"{_label}: the input schema changed while windows were open; drain before changing schema.");
        }

        _input = input;
        _time = ExpressionCompiler.Compile(_window.TimeExpression, input, "window.time");
        if (_time.Kind != ValueKind.Timestamp)
        {
            throw new TransformException($"{_label}: the event time '{_window.TimeExpression}' is {_time.Kind.ToString().ToLowerInvariant()}, not a timestamp.");
        }

        _groupPaths = [.. _aggregate.GroupBy.Select(g => FieldPath.Resolve(input, g, d => new TransformException($"{_label}: group_by: {d}")))];
        var fields = _groupPaths.Select(p => new Field(p.Path.Replace('.', '_'), p.Schema)).ToList();
        var timestamp = new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros);
        fields.Add(new Field("window_start", timestamp));
        fields.Add(new Field("window_end", timestamp));
        var measures = new List<(MeasureSpec, CompiledExpression?, int, IReadOnlyList<MeasureColumns.Column>)>();
        foreach (var measure in _aggregate.Measures)
        {
            var argument = measure.Argument is null ? null : ExpressionCompiler.Compile(measure.Argument, input, measure.Name);
            if (argument is null && measure.Function != AggregateFunction.Count)
            {
                throw new TransformException($"{_label}: measure '{measure.Name}': {Name(measure.Function)} needs an argument.");
            }

            var kind = argument?.Kind ?? ValueKind.Long;
            var valueSchema = argument?.ResultSchema ?? PrimitiveSchema.Long;
            var scale = (valueSchema.NonNullBranch ?? valueSchema).LogicalType?.Scale ?? 0;
            var numeric = kind is ValueKind.Int or ValueKind.Long or ValueKind.Double or ValueKind.Decimal or ValueKind.Null;
            if (measure.Function is AggregateFunction.Sum or AggregateFunction.Avg && !numeric)
            {
                throw new TransformException($"{_label}: measure '{measure.Name}': {Name(measure.Function)} needs a number but '{measure.Argument}' is {kind.ToString().ToLowerInvariant()}.");
            }

            if (measure.Function is AggregateFunction.Min or AggregateFunction.Max && kind == ValueKind.Other)
            {
                throw new TransformException($"{_label}: measure '{measure.Name}': {Name(measure.Function)} cannot order '{measure.Argument}'.");
            }

            var columns = MeasureColumns.Of(measure, kind, valueSchema, scale);
            fields.AddRange(columns.Select(c => new Field(c.Name, c.Schema)));
            measures.Add((measure, argument, scale, columns));
        }

        _measures = [.. measures];
        Output = Schemas.Record(new SchemaName(input.Name.Name + "_windows", input.Name.Namespace), fields);
        return Output;
    }

    /// <summary>The serving definition of this aggregate's output: keyed by group + window start, measures merged by kind.</summary>
    public ServingOutputDefinition ServingDefinition(string name)
    {
        var output = Output ?? throw new InvalidOperationException("Bind the aggregator first.");
        var merges = _measures.SelectMany(m => m.Columns).ToDictionary(c => c.Name, c => c.Merge);
        var keys = _groupPaths.Select(p => p.Path.Replace('.', '_')).Append("window_start").ToList();
        return new ServingOutputDefinition(name, output, keys, "window_start", merges);
    }

    /// <summary>Adds a batch's records to their windows; late records (speed layer) and bad event times go to the dead letters.</summary>
    public void Add(RecordBatch batch, TransformContext context)
    {
        Bind(batch.Schema);
        // The watermark used for lateness is the one before this batch: the result of a batch does not
        // depend on the order of records inside it.
        var watermark = Watermark;
        for (var i = 0; i < batch.Count; i++)
        {
            var record = batch.Records[i];
            DateTime time;
            object?[] values;
            try
            {
                if (_time!.Evaluate(record) is not DateTime t)
                {
                    context.AddDeadLetter(batch, i, _label, $"the event time '{_window.TimeExpression}' is null");
                    continue;
                }

                time = t.Kind == DateTimeKind.Utc ? t : DateTime.SpecifyKind(t, DateTimeKind.Utc);
                values = new object?[_measures.Length];
                for (var m = 0; m < _measures.Length; m++)
                {
                    values[m] = _measures[m].Argument?.Evaluate(record);
                }
            }
            catch (ExpressionEvaluationException e)
            {
                context.AddDeadLetter(batch, i, _label, e.Message);
                continue;
            }

            var accepted = 0;
            foreach (var start in _window.WindowStarts(time))
            {
                if (_enforceLateness && watermark is { } w && start + _window.Size + _window.AllowedLateness <= w)
                {
                    continue;
                }

                var key = new object?[_groupPaths.Length + 1];
                for (var g = 0; g < _groupPaths.Length; g++)
                {
                    key[g] = _groupPaths[g].Read(record);
                }

                key[^1] = start;
                if (!_groups.TryGetValue(key, out var accumulators))
                {
                    _groups[key] = accumulators = [.. _measures.Select(m => Create(m.Spec, m.Scale))];
                }

                try
                {
                    for (var m = 0; m < accumulators.Length; m++)
                    {
                        accumulators[m].Add(values[m], time);
                    }
                }
                catch (Exception e) when (e is OverflowException or InvalidCastException)
                {
                    context.AddDeadLetter(batch, i, _label, e.Message);
                    break;
                }

                accepted++;
            }

            if (accepted == 0)
            {
                context.AddDeadLetter(batch, i, _label,
                    $"late record: event time {time:O} is more than the allowed lateness {_window.AllowedLateness} behind the end of its window(s) (watermark {watermark:O})");
            }

            if (_maxEventTime is null || time > _maxEventTime)
            {
                _maxEventTime = time;
            }
        }
    }

    /// <summary>Emits one row per open window and group (ordered by window start) and clears the state.</summary>
    public RecordBatch Drain()
    {
        var output = Output ?? throw new InvalidOperationException("Bind the aggregator first.");
        var rows = new List<GenericRecord>(_groups.Count);
        foreach (var (key, accumulators) in _groups.OrderBy(g => (DateTime)g.Key[^1]!))
        {
            var row = new object?[output.Fields.Count];
            var offset = 0;
            for (var g = 0; g < _groupPaths.Length; g++)
            {
                row[offset++] = key[g];
            }

            var start = (DateTime)key[^1]!;
            row[offset++] = start;
            row[offset++] = start + _window.Size;
            for (var m = 0; m < accumulators.Length; m++)
            {
                accumulators[m].Write(row, offset);
                offset += _measures[m].Columns.Count;
            }

            rows.Add(new GenericRecord(output, row));
        }

        _groups.Clear();
        return new RecordBatch(output, rows);
    }

    private static Accumulator Create(MeasureSpec spec, int scale) => spec.Function switch
    {
        AggregateFunction.Count => new CountAccumulator(spec.Argument is null),
        AggregateFunction.Sum => new SumAccumulator(scale),
        AggregateFunction.Min => new ExtremeAccumulator(max: false),
        AggregateFunction.Max => new ExtremeAccumulator(max: true),
        AggregateFunction.Avg => new AverageAccumulator(),
        AggregateFunction.CountDistinct => new DistinctAccumulator(),
        AggregateFunction.First => new PositionalAccumulator(last: false),
        _ => new PositionalAccumulator(last: true),
    };

    /// <summary>The spec name of a function: <c>count_distinct</c>...</summary>
    public static string Name(AggregateFunction function) => function switch
    {
        AggregateFunction.CountDistinct => "count_distinct",
        _ => function.ToString().ToLowerInvariant(),
    };
}
