using Streams.Pipelines.Values;

namespace Streams.Pipelines.Windows;

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
