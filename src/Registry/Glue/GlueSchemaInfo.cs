namespace Streams.Registry.Glue;

/// <summary>A schema as <c>GetSchema</c> describes it.</summary>
public sealed record GlueSchemaInfo
{
    /// <summary>The registry it is in.</summary>
    public required string RegistryName { get; init; }

    /// <summary>The registry's ARN.</summary>
    public required string RegistryArn { get; init; }

    /// <summary>The schema's name.</summary>
    public required string SchemaName { get; init; }

    /// <summary>The schema's ARN.</summary>
    public required string SchemaArn { get; init; }

    /// <summary>Its description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>AVRO or JSON.</summary>
    public required string DataFormat { get; init; }

    /// <summary>The Glue compatibility mode (<see cref="GlueCompatibility"/>).</summary>
    public required string Compatibility { get; init; }

    /// <summary>The checkpoint version (the first live version until UpdateSchema moves it), 0 without versions.</summary>
    public long SchemaCheckpoint { get; init; }

    /// <summary>The latest live version, 0 without versions.</summary>
    public long LatestSchemaVersion { get; init; }

    /// <summary>The number the next version gets.</summary>
    public long NextSchemaVersion { get; init; }

    /// <summary>The schema's status.</summary>
    public string SchemaStatus { get; init; } = GlueStatuses.Available;

    /// <summary>When it was created (ISO 8601, UTC).</summary>
    public required string CreatedTime { get; init; }

    /// <summary>When it last changed (ISO 8601, UTC).</summary>
    public required string UpdatedTime { get; init; }

    /// <summary>The subject the schema is; not part of Glue's shape.</summary>
    internal string Subject { get; init; } = "";
}
