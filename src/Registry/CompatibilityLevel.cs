namespace Streams.Registry;

/// <summary>
/// Which earlier versions of a subject a new schema must be compatible with, and in which direction
/// (Confluent's compatibility types).
/// </summary>
public enum CompatibilityLevel
{
    /// <summary>No check.</summary>
    None,

    /// <summary>The new schema can read data written with the latest version.</summary>
    Backward,

    /// <summary>The new schema can read data written with every earlier version.</summary>
    BackwardTransitive,

    /// <summary>The latest version can read data written with the new schema.</summary>
    Forward,

    /// <summary>Every earlier version can read data written with the new schema.</summary>
    ForwardTransitive,

    /// <summary>Backward and forward against the latest version.</summary>
    Full,

    /// <summary>Backward and forward against every earlier version.</summary>
    FullTransitive,
}

/// <summary>The wire names of <see cref="CompatibilityLevel"/> (<c>BACKWARD_TRANSITIVE</c>...).</summary>
public static class CompatibilityLevels
{
    /// <summary>The level a registry starts with, as in Confluent's.</summary>
    public const CompatibilityLevel Default = CompatibilityLevel.Backward;

    /// <summary>The wire name of <paramref name="level"/>.</summary>
    public static string ToWireName(this CompatibilityLevel level) => level switch
    {
        CompatibilityLevel.None => "NONE",
        CompatibilityLevel.Backward => "BACKWARD",
        CompatibilityLevel.BackwardTransitive => "BACKWARD_TRANSITIVE",
        CompatibilityLevel.Forward => "FORWARD",
        CompatibilityLevel.ForwardTransitive => "FORWARD_TRANSITIVE",
        CompatibilityLevel.Full => "FULL",
        CompatibilityLevel.FullTransitive => "FULL_TRANSITIVE",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>Parses a wire name (case-insensitive); <c>false</c> for anything else.</summary>
    public static bool TryParse(string? name, out CompatibilityLevel level)
    {
        foreach (var candidate in Enum.GetValues<CompatibilityLevel>())
        {
            if (string.Equals(candidate.ToWireName(), name, StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
                return true;
            }
        }

        level = default;
        return false;
    }

    /// <summary>Parses a wire name or fails with error 42203.</summary>
    public static CompatibilityLevel Parse(string? name) =>
        TryParse(name, out var level) ? level : throw SchemaRegistryException.InvalidCompatibilityLevel(name);

    /// <summary>True when the new schema must be able to read data written with the earlier ones.</summary>
    public static bool ChecksBackward(this CompatibilityLevel level) =>
        level is CompatibilityLevel.Backward or CompatibilityLevel.BackwardTransitive
            or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;

    /// <summary>True when the earlier schemas must be able to read data written with the new one.</summary>
    public static bool ChecksForward(this CompatibilityLevel level) =>
        level is CompatibilityLevel.Forward or CompatibilityLevel.ForwardTransitive
            or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;

    /// <summary>True when every earlier version is checked, not only the latest.</summary>
    public static bool IsTransitive(this CompatibilityLevel level) =>
        level is CompatibilityLevel.BackwardTransitive or CompatibilityLevel.ForwardTransitive
            or CompatibilityLevel.FullTransitive;
}
