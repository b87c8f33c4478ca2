namespace Streams.Registry;

/// <summary>What writes a registry (or one subject) accepts.</summary>
public enum RegistryMode
{
    /// <summary>Normal operation: registrations get ids the registry assigns.</summary>
    ReadWrite,

    /// <summary>Registrations and deletes are refused.</summary>
    ReadOnly,

    /// <summary>Like <see cref="ReadOnly"/>, and it also overrides subject-level modes.</summary>
    ReadOnlyOverride,

    /// <summary>
    /// Migration from another registry: registrations carry the id (and version) they had there, and
    /// compatibility is not checked.
    /// </summary>
    Import,
}

/// <summary>The wire names of <see cref="RegistryMode"/>.</summary>
public static class RegistryModes
{
    /// <summary>The wire name of <paramref name="mode"/>.</summary>
    public static string ToWireName(this RegistryMode mode) => mode switch
    {
        RegistryMode.ReadWrite => "READWRITE",
        RegistryMode.ReadOnly => "READONLY",
        RegistryMode.ReadOnlyOverride => "READONLY_OVERRIDE",
        RegistryMode.Import => "IMPORT",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Parses a wire name (case-insensitive) or fails with error 42204.</summary>
    public static RegistryMode Parse(string? name)
    {
        foreach (var candidate in Enum.GetValues<RegistryMode>())
        {
            if (string.Equals(candidate.ToWireName(), name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        throw SchemaRegistryException.InvalidMode(name);
    }

    /// <summary>True for the read-only modes.</summary>
    public static bool IsReadOnly(this RegistryMode mode) =>
        mode is RegistryMode.ReadOnly or RegistryMode.ReadOnlyOverride;
}
