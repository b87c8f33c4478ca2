using System.Text.RegularExpressions;
using Streams.Pipelines.Expressions;
using Streams.Pipelines.Transforms;
using Streams.Pipelines.Windows;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Streams.Pipelines.Specs;

/// <summary>
/// Reads pipeline specs from YAML (or JSON, which YAML includes). Errors name the file, the line and
/// the key path; expressions are parsed here so that syntax errors show before anything runs.
/// </summary>
public static partial class PipelineSpecLoader
{
    /// <summary>Loads the spec file at <paramref name="path"/>.</summary>
    public static async Task<PipelineSpec> LoadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        var spec = Parse(text, path);
        return spec.Source.SchemaFile is { } schema && !Path.IsPathRooted(schema)
            ? spec with { Source = spec.Source with { SchemaFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, schema) } }
            : spec;
    }

    /// <summary>Parses spec text; <paramref name="fileName"/> is used in messages.</summary>
    public static PipelineSpec Parse(string text, string fileName = "pipeline")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new PipelineSpecException($"{fileName} line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        if (stream.Documents.Count != 1)
        {
            throw new PipelineSpecException($"{fileName}: expected one YAML document, found {stream.Documents.Count}.");
        }

        var root = new SpecNode(stream.Documents[0].RootNode, "", fileName);
        root.Keys("name", "source", "transforms", "window", "aggregate", "sinks");
        var name = root.Required("name").Scalar();
        if (!NamePattern().IsMatch(name))
        {
            throw root.Required("name").Error($"pipeline name '{name}' must be lower-case letters, digits and '_', starting with a letter");
        }

        var source = Source(root.Required("source"));
        var transforms = root.Optional("transforms")?.Items().SelectMany((item, index) => Transforms(item, index)).ToList() ?? [];
        var window = root.Optional("window") is { } w ? Window(w) : null;
        var aggregate = root.Optional("aggregate") is { } a ? Aggregate(a) : null;
        if ((window is null) != (aggregate is null))
        {
            throw root.Error("'window' and 'aggregate' go together: give both or neither");
        }

        var sinks = root.Optional("sinks")?.Items().Select(Sink).ToList() ?? [];
        foreach (var duplicate in sinks.Where(s => s.Serving is not null).GroupBy(s => s.Serving).Where(g => g.Count() > 1))
        {
            throw root.Error($"two sinks write serving output '{duplicate.Key}'");
        }

        return new PipelineSpec(name, source, transforms, window, aggregate, sinks) { Text = text };
    }

    private static SourceSpec Source(SpecNode node)
    {
        node.Keys("kafka", "batch", "schema");
        KafkaSourceSpec? kafka = null;
        if (node.Optional("kafka") is { } k)
        {
            k.Keys("topic", "subject", "max_batch_records", "max_batch_interval");
            var topic = k.Required("topic").Scalar();
            var records = KafkaSourceSpec.DefaultMaxBatchRecords;
            if (k.Optional("max_batch_records") is { } r
                && (!int.TryParse(r.Scalar(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out records) || records < 1))
            {
                throw r.Error("expected a whole number of records, at least 1");
            }

            var interval = k.Optional("max_batch_interval") is { } i ? i.Duration() : KafkaSourceSpec.DefaultMaxBatchInterval;
            if (interval < TimeSpan.FromMilliseconds(10))
            {
                throw k.Required("max_batch_interval").Error("a micro-batch interval is at least 10ms (Streamiz schedules no shorter punctuation)");
            }

            kafka = new KafkaSourceSpec(topic, k.Optional("subject")?.Scalar() ?? topic + "-value", records, interval);
        }

        BatchSourceSpec? batch = null;
        if (node.Optional("batch") is { } b)
        {
            b.Keys("table", "path", "format", "where", "bookmarks");
            batch = new BatchSourceSpec(b.Optional("table")?.Scalar(), b.Optional("path")?.Scalar(), b.Optional("format")?.Scalar(),
                b.Optional("where")?.Scalar(), b.Optional("bookmarks")?.Scalar() ?? BatchSourceSpec.BookmarksDisable);
            if ((batch.Table is null) == (batch.Path is null))
            {
                throw b.Error("give either 'table' (a catalog table, database.table) or 'path' (a lake path)");
            }

            if (batch.Format is not (null or "avro" or "parquet" or "jsonl" or "csv"))
            {
                throw b.Required("format").Error($"unknown format '{batch.Format}'; use avro, parquet, jsonl or csv");
            }

            if (batch.Bookmarks is not (BatchSourceSpec.BookmarksEnable or BatchSourceSpec.BookmarksDisable or BatchSourceSpec.BookmarksPause))
            {
                throw b.Required("bookmarks").Error($"unknown bookmark option '{batch.Bookmarks}'; use enable, disable or pause");
            }
        }

        if (kafka is null && batch is null)
        {
            throw node.Error("name at least one source: 'kafka' (speed layer) or 'batch' (batch layer)");
        }

        return new SourceSpec(kafka, batch, node.Optional("schema")?.Scalar());
    }

    private static IEnumerable<Transform> Transforms(SpecNode item, int index)
    {
        string kind;
        SpecNode? body;
        if (item.IsScalar)
        {
            kind = item.Scalar();
            body = null;
        }
        else
        {
            var entries = item.Entries().ToList();
            if (entries.Count != 1)
            {
                throw item.Error("each transform is a mapping with exactly one key, the transform kind (e.g. '- filter: amount > 0')");
            }

            (kind, body) = entries[0];
        }

        var label = $"transforms[{index}] ({kind})";
        var transformKind = TransformKinds.Find(kind) ?? throw item.Error($"unknown transform '{kind}'; known: {string.Join(", ", TransformKinds.Names)}");
        try
        {
            var parsed = transformKind.Parse(new TransformSpecText(item, body, label)).ToList();
            foreach (var transform in parsed)
            {
                transform.Origin = (body ?? item).Location;
            }

            return parsed;
        }
        catch (ExpressionException e)
        {
            throw (body ?? item).Error(e.Message);
        }
    }

    private static WindowSpec Window(SpecNode node)
    {
        node.Keys("type", "time", "size", "slide", "watermark_delay", "allowed_lateness");
        var typeSpecNode = node.Required("type");
        var kind = typeSpecNode.Scalar() switch
        {
            "tumbling" => WindowKind.Tumbling,
            "hopping" => WindowKind.Hopping,
            var other => throw typeSpecNode.Error($"unknown window type '{other}'; use tumbling or hopping"),
        };
        var size = node.Required("size").Duration();
        var slide = node.Optional("slide")?.Duration() ?? size;
        if (size <= TimeSpan.Zero || slide <= TimeSpan.Zero)
        {
            throw node.Error("window size and slide must be positive");
        }

        if (kind == WindowKind.Tumbling && slide != size)
        {
            throw node.Required("slide").Error("a tumbling window has no slide (it equals the size); use type: hopping");
        }

        var time = node.Required("time").Scalar();
        TransformKinds.ExpressionSyntaxCheck(node.Required("time"), time, "window.time");
        return new WindowSpec(kind, time, size, slide, node.Optional("watermark_delay")?.Duration() ?? TimeSpan.Zero,
            node.Optional("allowed_lateness")?.Duration() ?? TimeSpan.Zero);
    }

    private static AggregateSpec Aggregate(SpecNode node)
    {
        node.Keys("group_by", "measures");
        var measures = node.Required("measures").Entries().Select(e =>
        {
            var match = MeasurePattern().Match(e.Value.Scalar());
            if (!match.Success)
            {
                throw e.Value.Error($"measure '{e.Key}' must be function(expression), e.g. sum(amount) or count()");
            }

            var function = match.Groups[1].Value.ToLowerInvariant() switch
            {
                "count" => AggregateFunction.Count,
                "sum" => AggregateFunction.Sum,
                "min" => AggregateFunction.Min,
                "max" => AggregateFunction.Max,
                "avg" => AggregateFunction.Avg,
                "count_distinct" => AggregateFunction.CountDistinct,
                "first" => AggregateFunction.First,
                "last" => AggregateFunction.Last,
                var other => throw e.Value.Error($"unknown aggregate '{other}'; use count, sum, min, max, avg, count_distinct, first or last"),
            };
            var argument = match.Groups[2].Value.Trim();
            if (argument is "" or "*")
            {
                return function == AggregateFunction.Count
                    ? new MeasureSpec(e.Key, function, null)
                    : throw e.Value.Error($"{WindowAggregator.Name(function)} needs an argument");
            }

            TransformKinds.ExpressionSyntaxCheck(e.Value, argument, e.Key);
            return new MeasureSpec(e.Key, function, argument);
        }).ToList();
        return new AggregateSpec(node.Optional("group_by")?.Strings() ?? [], measures);
    }

    private static SinkSpec Sink(SpecNode node)
    {
        node.Keys("serving", "output", "keys", "time");
        return new SinkSpec(node.Optional("output")?.Scalar() ?? SinkSpec.Main, node.Optional("serving")?.Scalar(),
            node.Optional("keys")?.Strings() ?? [], node.Optional("time")?.Scalar())
        {
            Origin = node.Location,
        };
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\s*([A-Za-z_]+)\s*\((.*)\)\s*$", RegexOptions.Singleline)]
    private static partial Regex MeasurePattern();
}
