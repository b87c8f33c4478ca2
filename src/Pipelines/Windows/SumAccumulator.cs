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

    public override void Write(object?[] row, int offset) => row[offset] = !_any ? null : _type switch
    {
        SchemaType.Long => _long,
        SchemaType.Double => _double,
        _ => DecimalValue.FromDecimal(decimal.Round(_decimal, decimalScale, MidpointRounding.AwayFromZero)).Rescale(decimalScale),
    };
}
