using Streams.Formats.Model;

namespace Streams.Pipelines.Windows;

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

    // The columnar path's typed adds: the same state changes as Add with the boxed value.
    public void AddLong(long value)
    {
        _long = checked(_long + value);
        _type = SchemaType.Long;
        _any = true;
    }

    public void AddDouble(double value)
    {
        _double += value;
        _type = SchemaType.Double;
        _any = true;
    }

    public void AddDecimal(decimal value)
    {
        _decimal += value;
        _type = SchemaType.Bytes;
        _any = true;
    }

    /// <summary>How far the long sum is from overflowing, for the columnar path's check before it adds a batch.</summary>
    public long LongMagnitude => _long == long.MinValue ? long.MaxValue : Math.Abs(_long);

    public override void Write(object?[] row, int offset) => row[offset] = !_any ? null : _type switch
    {
        SchemaType.Long => _long,
        SchemaType.Double => _double,
        _ => DecimalValue.FromDecimal(decimal.Round(_decimal, decimalScale, MidpointRounding.AwayFromZero)).Rescale(decimalScale),
    };
}
