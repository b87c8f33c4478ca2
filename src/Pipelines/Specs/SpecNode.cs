using YamlDotNet.RepresentationModel;

namespace Streams.Pipelines.Specs;

/// <summary>A YAML node with its key path, for messages.</summary>
internal sealed class SpecNode(YamlNode node, string path, string file)
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

    public SpecNode? Optional(string key) =>
        Mapping().Children.TryGetValue(new YamlScalarNode(key), out var child) ? new SpecNode(child, Join(path, key), file) : null;

    public SpecNode Required(string key) => Optional(key) ?? throw Error($"'{key}' is required");

    public IEnumerable<(string Key, SpecNode Value)> Entries() =>
        Mapping().Children.Select(e => (((YamlScalarNode)e.Key).Value ?? "", new SpecNode(e.Value, Join(path, ((YamlScalarNode)e.Key).Value ?? ""), file)));

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
