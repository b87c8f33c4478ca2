namespace Streams.Registry.Storage;

/// <summary>The global and subject-level compatibility and mode rows that apply to one subject.</summary>
internal sealed record SubjectSettings(string? GlobalCompatibility, string? SubjectCompatibility, string? GlobalMode, string? SubjectMode)
{
    /// <summary>The subject's level, else the global one, else BACKWARD.</summary>
    public CompatibilityLevel Compatibility =>
        (SubjectCompatibility ?? GlobalCompatibility) is { } level ? CompatibilityLevels.Parse(level) : CompatibilityLevels.Default;

    /// <summary>The subject's mode, else the global one, else READWRITE; a global READONLY_OVERRIDE wins over both.</summary>
    public RegistryMode Mode
    {
        get
        {
            var global = GlobalMode is null ? RegistryMode.ReadWrite : RegistryModes.Parse(GlobalMode);
            return global == RegistryMode.ReadOnlyOverride || SubjectMode is null ? global : RegistryModes.Parse(SubjectMode);
        }
    }
}
