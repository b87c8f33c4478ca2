namespace Streams.Registry.Glue;

/// <summary>Names a schema as Glue's <c>SchemaId</c> does: by ARN, or by name in a registry (the default one when omitted).</summary>
public sealed record GlueSchemaId(string? SchemaArn, string? SchemaName, string? RegistryName);

/// <summary>A version of a schema as Glue's <c>SchemaVersionNumber</c> names it: a number, or the latest.</summary>
public sealed record GlueVersionNumber(bool LatestVersion, long? VersionNumber);

/// <summary>A registry as <c>GetRegistry</c> and <c>ListRegistries</c> describe it.</summary>
public sealed record GlueRegistryInfo(string RegistryName, string RegistryArn, string? Description, string Status,
    string CreatedTime, string UpdatedTime);

/// <summary>A schema as <c>GetSchema</c> describes it.</summary>
public sealed record GlueSchemaInfo
{
    public required string RegistryName { get; init; }
    public required string RegistryArn { get; init; }
    public required string SchemaName { get; init; }
    public required string SchemaArn { get; init; }
    public string? Description { get; init; }
    public required string DataFormat { get; init; }
    public required string Compatibility { get; init; }
    public long SchemaCheckpoint { get; init; }
    public long LatestSchemaVersion { get; init; }
    public long NextSchemaVersion { get; init; }
    public string SchemaStatus { get; init; } = "AVAILABLE";
    public required string CreatedTime { get; init; }
    public required string UpdatedTime { get; init; }

    /// <summary>Internal: the subject the schema is.</summary>
    internal string Subject { get; init; } = "";
}

/// <summary>A schema version as <c>GetSchemaVersion</c> describes it.</summary>
public sealed record GlueSchemaVersionInfo(string SchemaVersionId, string SchemaDefinition, string DataFormat, string SchemaArn,
    long VersionNumber, string Status, string CreatedTime);

/// <summary>The outcome of <c>RegisterSchemaVersion</c>: AVAILABLE, or FAILURE (with why) when compatibility refused it.</summary>
public sealed record GlueRegistration(string SchemaVersionId, long VersionNumber, string Status, string? FailureReason);

/// <summary>One metadata pair of a version, when it was put.</summary>
public sealed record GlueMetadataValue(string MetadataValue, string CreatedTime);

/// <summary>A version and the schema it belongs to, as the metadata operations answer.</summary>
public sealed record GlueVersionRef(string RegistryName, string SchemaName, string SchemaArn, Guid SchemaVersionId, long VersionNumber,
    bool LatestVersion);

/// <summary>Glue's statuses of registries, schemas and versions.</summary>
public static class GlueStatuses
{
    public const string Available = "AVAILABLE";
    public const string Pending = "PENDING";
    public const string Failure = "FAILURE";
    public const string Deleting = "DELETING";
}
