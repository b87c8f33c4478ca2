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
