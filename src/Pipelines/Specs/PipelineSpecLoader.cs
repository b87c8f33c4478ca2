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

        var root = new Node(stream.Documents[0].RootNode, "", fileName);
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

        return new PipelineSpec(name, source, transforms, window, aggregate, sinks);
    }

    private static SourceSpec Source(Node node)
    {
        node.Keys("kafka", "batch", "schema");
        KafkaSourceSpec? kafka = null;
        if (node.Optional("kafka") is { } k)
        {
            k.Keys("topic", "subject");
            var topic = k.Required("topic").Scalar();
            kafka = new KafkaSourceSpec(topic, k.Optional("subject")?.Scalar() ?? topic + "-value");
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

    private static IEnumerable<Transform> Transforms(Node item, int index)
    {
        string kind;
        Node? body;
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
        Node Body() => body ?? throw item.Error($"'{kind}' needs a value");
        try
        {
            if (kind == "derive")
            {
                return Derive(Body(), label);
            }

            Transform transform = kind switch
            {
                "apply_mapping" => new ApplyMappingTransform([.. Body().Items().Select(Mapping)]),
                "filter" => Checked(Body(), "filter", new FilterTransform(Body().Scalar())),
                "select_fields" => new SelectFieldsTransform(Body().Strings()),
                "drop_fields" => new DropFieldsTransform(Body().Strings()),
                "rename_field" => Rename(Body()),
                "drop_null_fields" => new DropNullFieldsTransform(),
                "resolve_choice" => ResolveChoice(Body()),
                "flatten" => new FlattenTransform(body?.Optional("separator")?.Scalar() ?? "_"),
                "relationalize" => Relationalize(Body()),
                "join" => Join(Body()),
                "deduplicate" => new DeduplicateTransform(Body().Required("keys").Strings()),
                _ => throw item.Error(
                    $"unknown transform '{kind}'; known: apply_mapping, filter, derive, select_fields, drop_fields, rename_field, drop_null_fields, resolve_choice, flatten, relationalize, join, deduplicate"),
            };
            transform.Label = label;
            return [transform];
        }
        catch (ExpressionException e)
        {
            throw (body ?? item).Error(e.Message);
        }
    }

    private static Transform Checked(Node node, string column, Transform transform)
    {
        // Parse now for early syntax errors; types are checked when the input schema is known.
        if (transform is FilterTransform filter)
        {
            ExpressionSyntaxCheck(node, filter.Condition, column);
        }

        return transform;
    }

    private static void ExpressionSyntaxCheck(Node node, string expression, string column)
    {
        try
        {
            ExpressionCompiler.Validate(expression, column);
        }
        catch (ExpressionException e)
        {
            throw node.Error(e.Message);
        }
    }

    private static FieldMapping Mapping(Node node)
    {
        if (node.IsSequence)
        {
            var parts = node.Strings();
            return parts.Count is 2 or 3
                ? new FieldMapping(parts[0], parts[1], parts.Count == 3 ? parts[2] : null)
                : throw node.Error("a mapping list is [from, to] or [from, to, type]");
        }

        node.Keys("from", "to", "type");
        var from = node.Required("from").Scalar();
        return new FieldMapping(from, node.Optional("to")?.Scalar() ?? from, node.Optional("type")?.Scalar());
    }

    /// <summary>One derive transform per column, in order, so a later column can use an earlier one.</summary>
    private static List<Transform> Derive(Node node, string label)
    {
        var steps = node.Entries().Select(e =>
        {
            var expression = e.Value.Scalar();
            ExpressionSyntaxCheck(e.Value, expression, e.Key);
            return (Transform)new DeriveTransform(e.Key, expression) { Label = $"{label} {e.Key}" };
        }).ToList();
        return steps.Count == 0 ? throw node.Error("derive needs at least one 'column: expression'") : steps;
    }

    private static RenameFieldTransform Rename(Node node)
    {
        node.Keys("from", "to");
        return new RenameFieldTransform(node.Required("from").Scalar(), node.Required("to").Scalar());
    }

    private static ResolveChoiceTransform ResolveChoice(Node node)
    {
        node.Keys("field", "action", "type");
        var actionNode = node.Required("action");
        var action = actionNode.Scalar() switch
        {
            "cast" => ChoiceAction.Cast,
            "project" => ChoiceAction.Project,
            "make_cols" => ChoiceAction.MakeCols,
            "make_struct" => ChoiceAction.MakeStruct,
            var other => throw actionNode.Error($"unknown action '{other}'; use cast, project, make_cols or make_struct"),
        };
        return new ResolveChoiceTransform(node.Required("field").Scalar(), action, node.Optional("type")?.Scalar());
    }

    private static RelationalizeTransform Relationalize(Node node)
    {
        node.Keys("name", "keys", "separator");
        return new RelationalizeTransform(node.Required("name").Scalar(), node.Optional("keys")?.Strings() ?? [], node.Optional("separator")?.Scalar() ?? "_");
    }

    private static JoinTransform Join(Node node)
    {
        node.Keys("table", "on", "columns", "prefix", "type");
        var on = node.Required("on").Entries().ToList();
        if (on.Count != 1)
        {
            throw node.Required("on").Error("'on' is one 'input_field: table_column' pair");
        }

        var type = node.Optional("type")?.Scalar() ?? "left";
        if (type is not ("left" or "inner"))
        {
            throw node.Required("type").Error($"join type '{type}' is not left or inner");
        }

        return new JoinTransform(node.Required("table").Scalar(), on[0].Key, on[0].Value.Scalar(), node.Optional("columns")?.Strings(),
            node.Optional("prefix")?.Scalar() ?? "", type == "inner");
    }

    private static WindowSpec Window(Node node)
    {
        node.Keys("type", "time", "size", "slide", "watermark_delay", "allowed_lateness");
        var typeNode = node.Required("type");
        var kind = typeNode.Scalar() switch
        {
            "tumbling" => WindowKind.Tumbling,
            "hopping" => WindowKind.Hopping,
            var other => throw typeNode.Error($"unknown window type '{other}'; use tumbling or hopping"),
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
        ExpressionSyntaxCheck(node.Required("time"), time, "window.time");
        return new WindowSpec(kind, time, size, slide, node.Optional("watermark_delay")?.Duration() ?? TimeSpan.Zero,
            node.Optional("allowed_lateness")?.Duration() ?? TimeSpan.Zero);
    }

    private static AggregateSpec Aggregate(Node node)
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

            ExpressionSyntaxCheck(e.Value, argument, e.Key);
            return new MeasureSpec(e.Key, function, argument);
        }).ToList();
        return new AggregateSpec(node.Optional("group_by")?.Strings() ?? [], measures);
    }

    private static SinkSpec Sink(Node node)
    {
        node.Keys("serving", "output", "keys", "time");
        return new SinkSpec(node.Optional("output")?.Scalar() ?? SinkSpec.Main, node.Optional("serving")?.Scalar(),
            node.Optional("keys")?.Strings() ?? [], node.Optional("time")?.Scalar());
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\s*([A-Za-z_]+)\s*\((.*)\)\s*$", RegexOptions.Singleline)]
    private static partial Regex MeasurePattern();

    /// <summary>A YAML node with its key path, for messages.</summary>
    private sealed class Node(YamlNode node, string path, string file)
    {
        public bool IsScalar => node is YamlScalarNode;

        public bool IsSequence => node is YamlSequenceNode;

        public PipelineSpecException Error(string detail) =>
            new($"{file} line {node.Start.Line}{(path.Length > 0 ? $", {path}" : "")}: {detail.TrimEnd('.')}.");

        private YamlMappingNode Mapping() => node as YamlMappingNode ?? throw Error("expected a mapping (key: value)");

        public void Keys(params string[] allowed)
        {
            foreach (var key in Mapping().Children.Keys.Select(k => ((YamlScalarNode)k).Value ?? ""))
            {
                if (!allowed.Contains(key))
                {
                    throw Error($"unknown key '{key}'; allowed: {string.Join(", ", allowed)}");
                }
            }
        }

        public Node? Optional(string key) =>
            Mapping().Children.TryGetValue(new YamlScalarNode(key), out var child) ? new Node(child, Join(path, key), file) : null;

        public Node Required(string key) => Optional(key) ?? throw Error($"'{key}' is required");

        public IEnumerable<(string Key, Node Value)> Entries() =>
            Mapping().Children.Select(e => (((YamlScalarNode)e.Key).Value ?? "", new Node(e.Value, Join(path, ((YamlScalarNode)e.Key).Value ?? ""), file)));

        public IEnumerable<Node> Items() => (node as YamlSequenceNode ?? throw Error("expected a list"))
            .Children.Select((c, i) => new Node(c, $"{path}[{i}]", file));

        public string Scalar() => node is YamlScalarNode { Value: { } value } ? value : throw Error("expected a single value");

        public List<string> Strings() => node is YamlScalarNode ? [Scalar()] : Items().Select(i => i.Scalar()).ToList();

        public TimeSpan Duration()
        {
            try
            {
                return DurationText.Parse(Scalar());
            }
            catch (FormatException e)
            {
                throw Error(e.Message.TrimEnd('.'));
            }
        }

        private static string Join(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";
    }
}
