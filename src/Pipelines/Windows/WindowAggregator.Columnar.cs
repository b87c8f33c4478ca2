using Streams.Formats.Model;
using Streams.Pipelines.Expressions;

namespace Streams.Pipelines.Windows;

/// <summary>
/// The columnar path of the aggregator (batch layer): a tumbling window over a timestamp field, grouped by up to three
/// top-level fields, with count, sum, avg, min and max of top-level numeric fields, aggregated straight from column
/// vectors into the same accumulators the record path fills, in the same order of rows, so both give the same rows.
/// </summary>
public sealed partial class WindowAggregator
{
    private const int MaxColumnarGroups = 3;

    /// <summary>
    /// The fields the columnar path reads for input <paramref name="input"/> (the event time, the groups, the measures'
    /// arguments), or null when the window or a measure has a shape only the record path runs.
    /// </summary>
    public IReadOnlyList<string>? ColumnarFields(RecordSchema input)
    {
        Bind(input);
        if (_enforceLateness || _window.Kind != WindowKind.Tumbling || _groupPaths.Length > MaxColumnarGroups
            || !IsField(input, _window.TimeExpression) || _aggregate.GroupBy.Any(g => !IsField(input, g)))
        {
            return null;
        }

        var fields = new List<string> { _window.TimeExpression.Trim() };
        fields.AddRange(_aggregate.GroupBy.Select(g => g.Trim()));
        foreach (var (spec, argument, _, _) in _measures)
        {
            if (spec.Function is not (AggregateFunction.Count or AggregateFunction.Sum or AggregateFunction.Avg or AggregateFunction.Min or AggregateFunction.Max))
            {
                return null;
            }

            if (spec.Argument is null)
            {
                continue;
            }

            // count(x) counts the non-null values of any field; the others read numbers.
            if (!IsField(input, spec.Argument)
                || (spec.Function != AggregateFunction.Count && argument!.Kind is not (ValueKind.Int or ValueKind.Long or ValueKind.Double or ValueKind.Decimal)))
            {
                return null;
            }

            fields.Add(spec.Argument.Trim());
        }

        return [.. fields.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Adds the rows of <paramref name="batch"/> from its vectors. Returns the rows the record path must take (their
    /// event time is null: they go to the dead letters there), or null, having added nothing, when the batch lacks a
    /// vector of a type this path reads (or a long sum could overflow): run the whole batch through <see cref="Add"/>.
    /// Rows where <paramref name="keep"/> is false (a filter dropped them) are skipped.
    /// </summary>
    public IReadOnlyList<int>? AddColumns(ColumnarBatch batch, bool[]? keep = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (ColumnarFields(batch.Schema) is null || !TryVectors(batch, out var time, out var groups, out var arguments))
        {
            return null;
        }

        var rows = batch.Count;
        var slots = new int[rows];
        var rest = new List<int>();
        var local = new Dictionary<GroupCode, int>();
        var slotAccumulators = new List<Accumulator[]>();
        var size = _window.Size.Ticks;
        var epoch = DateTime.UnixEpoch.Ticks;
        var maxTicks = long.MinValue;
        for (var r = 0; r < rows; r++)
        {
            if (keep is not null && !keep[r])
            {
                slots[r] = -1;
                continue;
            }

            if (time.IsNull(r))
            {
                slots[r] = -1;
                rest.Add(r);
                continue;
            }

            var ticks = time.Longs[r];
            maxTicks = Math.Max(maxTicks, ticks);
            var offset = ticks - epoch;
            var start = offset - (((offset % size) + size) % size);
            var code = Code(groups, r, start);
            if (!local.TryGetValue(code, out var slot))
            {
                var key = new object?[groups.Length + 1];
                for (var g = 0; g < groups.Length; g++)
                {
                    key[g] = groups[g].ValueAt(r);
                }

                key[^1] = new DateTime(epoch + start, DateTimeKind.Utc);
                if (!_groups.TryGetValue(key, out var accumulators))
                {
                    _groups[key] = accumulators = [.. _measures.Select(m => Create(m.Spec, m.Scale))];
                }

                local[code] = slot = slotAccumulators.Count;
                slotAccumulators.Add(accumulators);
            }

            slots[r] = slot;
        }

        if (!LongSumsFit(slots, slotAccumulators, arguments))
        {
            return null;
        }

        for (var m = 0; m < _measures.Length; m++)
        {
            AddMeasure(m, arguments[m], slots, slotAccumulators);
        }

        if (maxTicks != long.MinValue && (_maxEventTime is null || maxTicks > _maxEventTime.Value.Ticks))
        {
            _maxEventTime = new DateTime(maxTicks, DateTimeKind.Utc);
        }

        return rest;
    }

    private static bool IsField(RecordSchema input, string expression) => input.GetField(expression.Trim()) is not null;

    private bool TryVectors(ColumnarBatch batch, out ColumnVector time, out ColumnVector[] groups, out ColumnVector?[] arguments)
    {
        groups = new ColumnVector[_groupPaths.Length];
        arguments = new ColumnVector?[_measures.Length];
        if (!batch.Columns.TryGetValue(_window.TimeExpression.Trim(), out time!) || time.Type is not (ColumnValueType.TimestampUtc or ColumnValueType.TimestampLocal))
        {
            return false;
        }

        for (var g = 0; g < groups.Length; g++)
        {
            if (!batch.Columns.TryGetValue(_aggregate.GroupBy[g].Trim(), out var group) || group.Type is ColumnValueType.Float or ColumnValueType.Double)
            {
                return false;
            }

            groups[g] = group;
        }

        for (var m = 0; m < _measures.Length; m++)
        {
            if (_measures[m].Spec.Argument is not { } argument)
            {
                continue;
            }

            if (!batch.Columns.TryGetValue(argument.Trim(), out var vector)
                || _measures[m].Spec.Function != AggregateFunction.Count && vector.Type is not (ColumnValueType.Int32 or ColumnValueType.Int64 or ColumnValueType.Decimal or ColumnValueType.Float or ColumnValueType.Double)
                || vector.Scale > 28)
            {
                return false;
            }

            arguments[m] = vector;
        }

        return true;
    }

    private static GroupCode Code(ColumnVector[] groups, int row, long start)
    {
        Span<long> codes = stackalloc long[MaxColumnarGroups];
        var nulls = 0;
        for (var g = 0; g < groups.Length; g++)
        {
            if (groups[g].IsNull(row))
            {
                nulls |= 1 << g;
            }
            else
            {
                codes[g] = groups[g].Longs[row];
            }
        }

        return new GroupCode(codes[0], codes[1], codes[2], nulls, start);
    }

    /// <summary>True when no long sum can overflow with this batch: the record path sends a row that overflows to the dead letters.</summary>
    private bool LongSumsFit(int[] slots, List<Accumulator[]> slotAccumulators, ColumnVector?[] arguments)
    {
        for (var m = 0; m < _measures.Length; m++)
        {
            if (_measures[m].Spec.Function != AggregateFunction.Sum || arguments[m] is not { Type: ColumnValueType.Int32 or ColumnValueType.Int64 } vector)
            {
                continue;
            }

            Int128 total = 0;
            for (var r = 0; r < slots.Length; r++)
            {
                if (slots[r] >= 0 && !vector.IsNull(r))
                {
                    total += Int128.Abs(vector.Longs[r]);
                }
            }

            if (slotAccumulators.Any(a => ((SumAccumulator)a[m]).LongMagnitude + total > long.MaxValue))
            {
                return false;
            }
        }

        return true;
    }

    private void AddMeasure(int m, ColumnVector? argument, int[] slots, List<Accumulator[]> slotAccumulators)
    {
        var spec = _measures[m].Spec;
        var accumulators = slotAccumulators.Select(a => a[m]).ToArray();
        switch (spec.Function)
        {
            case AggregateFunction.Count:
            {
                var counts = new long[accumulators.Length];
                for (var r = 0; r < slots.Length; r++)
                {
                    if (slots[r] >= 0 && (argument is null || !argument.IsNull(r)))
                    {
                        counts[slots[r]]++;
                    }
                }

                for (var s = 0; s < counts.Length; s++)
                {
                    ((CountAccumulator)accumulators[s]).AddCount(counts[s]);
                }

                return;
            }
            case AggregateFunction.Sum:
            {
                var sums = accumulators.Cast<SumAccumulator>().ToArray();
                for (var r = 0; r < slots.Length; r++)
                {
                    if (slots[r] < 0 || argument!.IsNull(r))
                    {
                        continue;
                    }

                    var sum = sums[slots[r]];
                    switch (argument.Type)
                    {
                        case ColumnValueType.Int32 or ColumnValueType.Int64: sum.AddLong(argument.Longs[r]); break;
                        case ColumnValueType.Decimal: sum.AddDecimal(Decimal(argument.Longs[r], argument.Scale)); break;
                        default: sum.AddDouble(argument.Doubles[r]); break;
                    }
                }

                return;
            }
            case AggregateFunction.Avg:
            {
                var averages = accumulators.Cast<AverageAccumulator>().ToArray();
                for (var r = 0; r < slots.Length; r++)
                {
                    if (slots[r] < 0 || argument!.IsNull(r))
                    {
                        continue;
                    }

                    averages[slots[r]].AddDouble(argument.Type switch
                    {
                        ColumnValueType.Int32 or ColumnValueType.Int64 => argument.Longs[r],
                        ColumnValueType.Decimal => (double)Decimal(argument.Longs[r], argument.Scale),
                        _ => argument.Doubles[r],
                    });
                }

                return;
            }
            default:
            {
                // Min/max keep the first of equal values, as the record path does; only the winner of each slot is boxed.
                var max = spec.Function == AggregateFunction.Max;
                var best = new int[accumulators.Length];
                Array.Fill(best, -1);
                var doubles = argument!.Type is ColumnValueType.Float or ColumnValueType.Double;
                for (var r = 0; r < slots.Length; r++)
                {
                    var s = slots[r];
                    if (s < 0 || argument.IsNull(r))
                    {
                        continue;
                    }

                    var b = best[s];
                    if (b < 0)
                    {
                        best[s] = r;
                        continue;
                    }

                    var c = doubles ? argument.Doubles[r].CompareTo(argument.Doubles[b]) : argument.Longs[r].CompareTo(argument.Longs[b]);
                    if (max ? c > 0 : c < 0)
                    {
                        best[s] = r;
                    }
                }

                for (var s = 0; s < best.Length; s++)
                {
                    if (best[s] >= 0)
                    {
                        accumulators[s].Add(argument.ValueAt(best[s]), default);
                    }
                }

                return;
            }
        }
    }

    /// <summary>The decimal of an unscaled value, built as <see cref="DecimalValue.ToDecimal"/> builds it.</summary>
    private static decimal Decimal(long unscaled, int scale)
    {
        var magnitude = unscaled == long.MinValue ? 1UL << 63 : (ulong)Math.Abs(unscaled);
        return new decimal(unchecked((int)(uint)magnitude), unchecked((int)(uint)(magnitude >> 32)), 0, unscaled < 0, (byte)scale);
    }

    private readonly record struct GroupCode(long First, long Second, long Third, int Nulls, long Start);
}
