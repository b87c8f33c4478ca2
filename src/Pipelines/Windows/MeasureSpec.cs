namespace Streams.Pipelines.Windows;

/// <summary>One aggregate column: <c>name: function(expression)</c>.</summary>
/// <param name="Name">The output column.</param>
/// <param name="Function">The aggregate.</param>
/// <param name="Argument">The expression aggregated, or null for <c>count()</c> (rows).</param>
public sealed record MeasureSpec(string Name, AggregateFunction Function, string? Argument);
