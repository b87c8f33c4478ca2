using YamlDotNet.RepresentationModel;

namespace Streams.Pipelines.Specs;

/// <summary>A YAML node with its key path, for messages.</summary>
internal sealed class SpecNode(YamlNode node, string path, string file)
{
    public bool IsScalar => node is YamlScalarNode;

    public bool IsSequence => node is YamlSequenceNode;

    /// <summary>Where the node is, for messages: <c>orders.yaml line 6, column 5, transforms[0].filter</c>.</summary>
    public string Location => $"{file} line {node.Start.Line}, column {node.Start.Column}{(path.Length > 0 ? $", {path}" : "")}";

    public PipelineSpecException Error(string detail) => new($"{Location}: {detail.TrimEnd('.')}.");

    private YamlMappingNode Mapping() => node as YamlMappingNode ?? throw Error("expected a mapping (key: value)");

    /// <summary>A mapping key as text; a key that is itself a list or mapping is refused where it stands.</summary>
    private string KeyOf(YamlNode key) => key is YamlScalarNode scalar
        ? scalar.Value ?? ""
        : throw new SpecNode(key, path, file).Error("a key must be a plain name, not a list or mapping");

    public void Keys(params string[] allowed)
    {
        foreach (var key in Mapping().Children.Keys.Select(KeyOf))
        {
            if (!allowed.Contains(key))
            {
                throw Error($"unknown key '{key}'; allowed: {string.Join(", ", allowed)}");
            }
        }
    }

    public SpecNode? Optional(string key) =>
        Mapping().Children.TryGetValue(new YamlScalarNode(key), out var child) ? new SpecNode(child, Join(path, key), file) : null;

    public SpecNode Required(string key) => Optional(key) ?? throw Error($"'{key}' is required");

    public IEnumerable<(string Key, SpecNode Value)> Entries() =>
        Mapping().Children.Select(e => (KeyOf(e.Key), new SpecNode(e.Value, Join(path, KeyOf(e.Key)), file)));

    public IEnumerable<SpecNode> Items() => (node as YamlSequenceNode ?? throw Error("expected a list"))
        .Children.Select((c, i) => new SpecNode(c, $"{path}[{i}]", file));

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
