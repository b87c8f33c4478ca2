using Streams.Pipelines.Expressions;
using Streams.Pipelines.Transforms;

namespace Streams.Pipelines.Specs;

/// <summary>
/// The transform kinds a spec may name, each with its parser: the one list the loader and its messages
/// use. A new transform is one entry here (name, parser) and its <see cref="Transform"/> class.
/// </summary>
internal static class TransformKinds
{
    private static readonly TransformKind[] All =
    [
        new("apply_mapping", t => [t.Label(new ApplyMappingTransform([.. t.Body.Items().Select(Mapping)]))]),
        new("filter", t => [t.Label(Filter(t.Body))]),
        new("derive", t => Derive(t.Body, t.LabelText)),
        new("select_fields", t => [t.Label(new SelectFieldsTransform(t.Body.Strings()))]),
        new("drop_fields", t => [t.Label(new DropFieldsTransform(t.Body.Strings()))]),
        new("rename_field", t => [t.Label(Rename(t.Body))]),
        new("drop_null_fields", t => [t.Label(new DropNullFieldsTransform())]),
        new("resolve_choice", t => [t.Label(ResolveChoice(t.Body))]),
        new("flatten", t => [t.Label(new FlattenTransform(t.OptionalBody?.Optional("separator")?.Scalar() ?? "_"))]),
        new("relationalize", t => [t.Label(Relationalize(t.Body))]),
        new("join", t => [t.Label(Join(t.Body))]),
        new("deduplicate", t => [t.Label(new DeduplicateTransform(t.Body.Required("keys").Strings()))]),
    ];

    private static readonly Dictionary<string, TransformKind> ByName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>Every kind's name, in the documented order.</summary>
    public static IEnumerable<string> Names => All.Select(k => k.Name);

    /// <summary>The kind named <paramref name="name"/>, or null.</summary>
    public static TransformKind? Find(string name) => ByName.GetValueOrDefault(name);

    private static FilterTransform Filter(SpecNode node)
    {
        // Parse now for early syntax errors; types are checked when the input schema is known.
        var filter = new FilterTransform(node.Scalar());
        ExpressionSyntaxCheck(node, filter.Condition, "filter");
        return filter;
    }

    /// <summary>Parses <paramref name="expression"/> for syntax errors now, naming the spec line; types are checked once the input schema is known.</summary>
    internal static void ExpressionSyntaxCheck(SpecNode node, string expression, string column)
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

    private static FieldMapping Mapping(SpecNode node)
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
    private static List<Transform> Derive(SpecNode node, string label)
    {
        var steps = node.Entries().Select(e =>
        {
            var expression = e.Value.Scalar();
            ExpressionSyntaxCheck(e.Value, expression, e.Key);
            return (Transform)new DeriveTransform(e.Key, expression) { Label = $"{label} {e.Key}" };
        }).ToList();
        return steps.Count == 0 ? throw node.Error("derive needs at least one 'column: expression'") : steps;
    }

    private static RenameFieldTransform Rename(SpecNode node)
    {
        node.Keys("from", "to");
        return new RenameFieldTransform(node.Required("from").Scalar(), node.Required("to").Scalar());
    }

    private static ResolveChoiceTransform ResolveChoice(SpecNode node)
    {
        node.Keys("field", "action", "type");
        var actionSpecNode = node.Required("action");
        var action = actionSpecNode.Scalar() switch
        {
            "cast" => ChoiceAction.Cast,
            "project" => ChoiceAction.Project,
            "make_cols" => ChoiceAction.MakeCols,
            "make_struct" => ChoiceAction.MakeStruct,
            var other => throw actionSpecNode.Error($"unknown action '{other}'; use cast, project, make_cols or make_struct"),
        };
        return new ResolveChoiceTransform(node.Required("field").Scalar(), action, node.Optional("type")?.Scalar());
    }

    private static RelationalizeTransform Relationalize(SpecNode node)
    {
        node.Keys("name", "keys", "separator");
        return new RelationalizeTransform(node.Required("name").Scalar(), node.Optional("keys")?.Strings() ?? [], node.Optional("separator")?.Scalar() ?? "_");
    }

    private static JoinTransform Join(SpecNode node)
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
}
