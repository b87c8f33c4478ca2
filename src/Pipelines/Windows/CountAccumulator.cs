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

    /// <summary>Counts <paramref name="rows"/> rows (or non-null values) at once: the columnar path.</summary>
    public void AddCount(long rows) => _count += rows;

    public override void Write(object?[] row, int offset) => row[offset] = _count;
}
