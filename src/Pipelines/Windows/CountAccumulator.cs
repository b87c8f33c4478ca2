namespace Streams.Pipelines.Windows;

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
