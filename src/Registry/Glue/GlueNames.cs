using System.Text.RegularExpressions;

namespace Streams.Registry.Glue;

/// <summary>
/// How Glue's registries and schemas map onto the registry's subjects: schema <c>S</c> of the default registry is
/// subject <c>S</c>; schema <c>S</c> of registry <c>R</c> is subject <c>R.S</c>. A subject registered through
/// Confluent's API belongs to the registry whose name (followed by a dot) starts it, else to the default registry.
/// </summary>
public static partial class GlueNames
{
    /// <summary>The registry that always exists and holds the subjects of no other registry.</summary>
    public const string DefaultRegistry = "default-registry";

    private const int MaxNameLength = 255;

    /// <summary>The subject of schema <paramref name="schema"/> in <paramref name="registry"/>.</summary>
    public static string SubjectOf(string registry, string schema) =>
        registry == DefaultRegistry ? schema : registry + "." + schema;

    /// <summary>The registry and schema name of <paramref name="subject"/>, given the registries that exist.</summary>
    public static (string Registry, string Schema) Split(string subject, IEnumerable<string> registries)
    {
        var owner = registries
            .Where(r => r != DefaultRegistry && subject.Length > r.Length + 1 && subject.StartsWith(r + ".", StringComparison.Ordinal))
            .MaxBy(r => r.Length);
        return owner is null ? (DefaultRegistry, subject) : (owner, subject[(owner.Length + 1)..]);
    }

    /// <summary>Checks a registry or schema name against Glue's rules (1 to 255 of <c>a-z A-Z 0-9 - _ $ # .</c>).</summary>
    public static string Validate(string? name, string what)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !NamePattern().IsMatch(name))
        {
            throw GlueSchemaRegistryException.Invalid(
                $"{what} '{name}' is not valid: it must be 1 to {MaxNameLength} characters of a-z, A-Z, 0-9, '-', '_', '$', '#' and '.'.");
        }

        return name;
    }

    [GeneratedRegex("^[a-zA-Z0-9\\-_$#.]+$")]
    private static partial Regex NamePattern();
}
