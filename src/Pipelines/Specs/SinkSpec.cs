using Streams.Pipelines.Windows;

namespace Streams.Pipelines.Specs;

/// <summary>Where one output goes.</summary>
/// <param name="Output">The output: <c>main</c>, or a child output (from relationalize), or <c>dead_letters</c>.</param>
/// <param name="Serving">The serving output (table set and merged view) name, or null.</param>
/// <param name="Keys">Upsert keys of a non-aggregated output (empty: append).</param>
/// <param name="TimeColumn">The time column of a non-aggregated output (aggregates use window_start).</param>
public sealed record SinkSpec(string Output, string? Serving, IReadOnlyList<string> Keys, string? TimeColumn)
{
    /// <summary>The name of the main output.</summary>
    public const string Main = "main";

    /// <summary>The name of the dead-letter output.</summary>
    public const string DeadLetters = "dead_letters";
}
