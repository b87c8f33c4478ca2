namespace Streams.Pipelines.Windows;

/// <summary>The aggregate functions.</summary>
public enum AggregateFunction
{
    Count,
    Sum,
    Min,
    Max,
    Avg,
    CountDistinct,
    First,
    Last,
}

/// <summary>One aggregate column: <c>name: function(expression)</c>.</summary>
/// <param name="Name">The output column.</param>
/// <param name="Function">The aggregate.</param>
/// <param name="Argument">The expression aggregated, or null for <c>count()</c> (rows).</param>
public sealed record MeasureSpec(string Name, AggregateFunction Function, string? Argument);

/// <summary>The aggregate of a windowed pipeline.</summary>
/// <param name="GroupBy">Grouping fields (dotted paths; the output column replaces dots with '_').</param>
/// <param name="Measures">The aggregate columns.</param>
public sealed record AggregateSpec(IReadOnlyList<string> GroupBy, IReadOnlyList<MeasureSpec> Measures);
