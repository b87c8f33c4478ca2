using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Windows;

/// <summary>
/// The partial state of one aggregate over one window and group. States of the same key merge in
/// the serving table (see <see cref="Serving.ColumnMerge"/>), so they are written as partials: a sum
/// and count behind an average, the set behind a count distinct, the event time behind first/last.
/// </summary>
internal abstract class Accumulator
{
    public abstract void Add(object? value, DateTime eventTime);

    /// <summary>Writes the visible value and any state columns at <paramref name="offset"/>.</summary>
    public abstract void Write(object?[] row, int offset);
}

internal sealed class CountAccumulator(bool rows) : Accumulator
{
    private long _count;

    public override void Add(object? value, DateTime eventTime)
    {
        if (rows || value is not null)
        {
            _count++;
        }
    }

    public override void Write(object?[] row, int offset) => row[offset] = _count;
}

internal sealed class SumAccumulator(int decimalScale) : Accumulator
{
    private long _long;
    private double _double;
    private decimal _decimal;
    private bool _any;
    private SchemaType _type;

    public override void Add(object? value, DateTime eventTime)
    {
        switch (value)
        {
            case null:
                return;
            case int i:
                _long = checked(_long + i);
                _type = SchemaType.Long;
                break;
            case long l:
                _long = checked(_long + l);
                _type = SchemaType.Long;
                break;
            case float f:
                _double += f;
                _type = SchemaType.Double;
                break;
            case double d:
                _double += d;
                _type = SchemaType.Double;
                break;
            case DecimalValue m:
                _decimal += m.ToDecimal();
                _type = SchemaType.Bytes;
                break;
            default:
                throw new InvalidCastException($"sum cannot add {ValueEquality.Format(value)}.");
        }

        _any = true;
    }

    public override void Write(object?[] row, int offset) => row[offset] = !_any ? null : _type switch
    {
        SchemaType.Long => _long,
        SchemaType.Double => _double,
        _ => DecimalValue.FromDecimal(decimal.Round(_decimal, decimalScale, MidpointRounding.AwayFromZero)).Rescale(decimalScale),
    };
}

internal sealed class ExtremeAccumulator(bool max) : Accumulator
{
    private object? _value;

    public override void Add(object? value, DateTime eventTime)
    {
        if (value is not null && (_value is null || (ModelComparer.Compare(value, _value) is var c && (max ? c > 0 : c < 0))))
        {
            _value = value;
        }
    }

    public override void Write(object?[] row, int offset) => row[offset] = _value;
}

internal sealed class AverageAccumulator : Accumulator
{
    private double _sum;
    private long _count;

    public override void Add(object? value, DateTime eventTime)
    {
        if (value is null)
        {
            return;
        }

        _sum += value switch
        {
            int i => i,
            long l => l,
            float f => f,
            double d => d,
            DecimalValue m => (double)m.ToDecimal(),
            _ => throw new InvalidCastException($"avg cannot add {ValueEquality.Format(value)}."),
        };
        _count++;
    }

    public override void Write(object?[] row, int offset)
    {
        row[offset] = _count == 0 ? null : _sum / _count;
        row[offset + 1] = _sum;
        row[offset + 2] = _count;
    }
}

internal sealed class DistinctAccumulator : Accumulator
{
    private readonly SortedSet<string> _values = new(StringComparer.Ordinal);

    public override void Add(object? value, DateTime eventTime)
    {
        if (value is not null)
        {
            _values.Add(ModelCast.ToText(value));
        }
    }

    public override void Write(object?[] row, int offset)
    {
        row[offset] = (long)_values.Count;
        row[offset + 1] = _values.Cast<object?>().ToList();
    }
}

internal sealed class PositionalAccumulator(bool last) : Accumulator
{
    private object? _value;
    private DateTime? _at;

    public override void Add(object? value, DateTime eventTime)
    {
        // Ties: first keeps the earliest arrival, last takes the latest arrival.
        if (_at is null || (last ? eventTime >= _at : eventTime < _at))
        {
            _value = value;
            _at = eventTime;
        }
    }

    public override void Write(object?[] row, int offset)
    {
        row[offset] = _value;
        row[offset + 1] = _at;
    }
}
