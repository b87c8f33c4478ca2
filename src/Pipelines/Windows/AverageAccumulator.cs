using Streams.Formats.Model;

namespace Streams.Pipelines.Windows;

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

    /// <summary>The columnar path's typed add: the same state change as Add with the boxed number.</summary>
    public void AddDouble(double value)
    {
        _sum += value;
        _count++;
    }

    public override void Write(object?[] row, int offset)
    {
        row[offset] = _count == 0 ? null : _sum / _count;
        row[offset + 1] = _sum;
        row[offset + 2] = _count;
    }
}
