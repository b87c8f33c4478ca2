using Streams.Pipelines.Values;

namespace Streams.Pipelines.Windows;

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
