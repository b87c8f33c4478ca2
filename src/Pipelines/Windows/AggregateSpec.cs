namespace Streams.Pipelines.Windows;

/// <summary>The aggregate of a windowed pipeline.</summary>
/// <param name="GroupBy">Grouping fields (dotted paths; the output column replaces dots with '_').</param>
/// <param name="Measures">The aggregate columns.</param>
public sealed record AggregateSpec(IReadOnlyList<string> GroupBy, IReadOnlyList<MeasureSpec> Measures);
