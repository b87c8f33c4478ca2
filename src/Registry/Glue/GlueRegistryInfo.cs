namespace Streams.Registry.Glue;

/// <summary>A registry as <c>GetRegistry</c> and <c>ListRegistries</c> describe it.</summary>
public sealed record GlueRegistryInfo(string RegistryName, string RegistryArn, string? Description, string Status,
    string CreatedTime, string UpdatedTime);
