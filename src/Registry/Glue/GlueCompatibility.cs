namespace Streams.Registry.Glue;

/// <summary>
/// Glue's compatibility modes on the registry's levels: NONE, BACKWARD, FORWARD and FULL are the same, the
/// <c>_ALL</c> modes are the transitive levels, and DISABLED (no new versions) is the subject's READONLY mode, so
/// Confluent's API refuses new versions of a DISABLED schema too.
/// </summary>
public static class GlueCompatibility
{
    /// <summary>The mode no new version passes.</summary>
    public const string Disabled = "DISABLED";

    /// <summary>Glue's default for a new schema.</summary>
    public const string Default = "BACKWARD";

    private static readonly (string Glue, CompatibilityLevel Level)[] Modes =
    [
        ("NONE", CompatibilityLevel.None),
        ("BACKWARD", CompatibilityLevel.Backward),
        ("BACKWARD_ALL", CompatibilityLevel.BackwardTransitive),
        ("FORWARD", CompatibilityLevel.Forward),
        ("FORWARD_ALL", CompatibilityLevel.ForwardTransitive),
        ("FULL", CompatibilityLevel.Full),
        ("FULL_ALL", CompatibilityLevel.FullTransitive),
    ];

    /// <summary>The Glue name of a level and mode as the registry holds them.</summary>
    public static string ToGlue(CompatibilityLevel level, RegistryMode mode) =>
        mode.IsReadOnly() ? Disabled : Modes.First(m => m.Level == level).Glue;

    /// <summary>The level a Glue mode checks with, or null for DISABLED; InvalidInputException for an unknown name.</summary>
    public static CompatibilityLevel? Parse(string name)
    {
        if (name == Disabled)
        {
            return null;
        }

        foreach (var (glue, level) in Modes)
        {
            if (glue == name)
            {
                return level;
            }
        }

        throw GlueSchemaRegistryException.Invalid(
            $"Compatibility '{name}' is not one of NONE, DISABLED, BACKWARD, BACKWARD_ALL, FORWARD, FORWARD_ALL, FULL, FULL_ALL.");
    }
}
