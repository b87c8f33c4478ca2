namespace Streams.Pipelines.Windows;

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
