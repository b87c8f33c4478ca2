using System.Globalization;
using Streams.Pipelines.Specs;
using Streams.Pipelines.Transforms;

namespace Streams.Api.Console;

/// <summary>The flow of a pipeline spec as the console draws it: sources, then transforms, window and aggregate in order, then sinks.</summary>
internal static class PipelineFlow
{
    public static IReadOnlyList<FlowNode> Of(PipelineSpec spec)
    {
        var nodes = new List<FlowNode>();
        if (spec.Source.Kafka is { } kafka)
        {
            nodes.Add(new FlowNode("source-kafka", "source", $"kafka {kafka.Topic}", $"subject {kafka.Subject}"));
        }

        if (spec.Source.Batch is { } batch)
        {
            nodes.Add(new FlowNode("source-batch", "source", batch.Table is { } table ? $"table {table}" : $"lake {batch.Path}",
                batch.Where is { } where ? $"where {where}" : $"bookmarks {batch.Bookmarks}"));
        }

        for (var i = 0; i < spec.Transforms.Count; i++)
        {
            var transform = spec.Transforms[i];
            nodes.Add(new FlowNode($"transform-{i}", "transform", transform.Kind, transform switch
            {
                FilterTransform filter => filter.Condition,
                DeriveTransform derive => $"{derive.Column} = {derive.Expression}",
                _ => transform.Label,
            }));
        }

        if (spec.Window is { } window)
        {
            nodes.Add(new FlowNode("window", "window", $"{window.Kind.ToString().ToLowerInvariant()} window",
                $"{Duration(window.Size)} on {window.TimeExpression}"));
        }

        if (spec.Aggregate is { } aggregate)
        {
            nodes.Add(new FlowNode("aggregate", "aggregate",
                aggregate.GroupBy.Count == 0 ? "aggregate" : $"by {string.Join(", ", aggregate.GroupBy)}",
                string.Join(", ", aggregate.Measures.Select(m => m.Name))));
        }

        for (var i = 0; i < spec.Sinks.Count; i++)
        {
            var sink = spec.Sinks[i];
            nodes.Add(new FlowNode($"sink-{i}", "sink", sink.Serving is { } serving ? $"serving {serving}" : sink.Output,
                sink.Output == SinkSpec.Main ? "main output" : $"output {sink.Output}"));
        }

        return nodes;
    }

    private static string Duration(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.TotalDays % 1 == 0 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays}d"),
        { TotalHours: >= 1 } when span.TotalHours % 1 == 0 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours}h"),
        { TotalMinutes: >= 1 } when span.TotalMinutes % 1 == 0 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes}m"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds}s"),
    };
}
