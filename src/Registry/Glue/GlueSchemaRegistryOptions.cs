namespace Streams.Registry.Glue;

/// <summary>
/// Settings of the Glue Schema Registry API (<c>Streams:GlueSchemaRegistry</c>): the region and account its ARNs
/// name, and Glue's quotas (defaults as in AWS).
/// </summary>
public sealed record GlueSchemaRegistryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Streams:GlueSchemaRegistry";

    /// <summary>The region in ARNs.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account id in ARNs.</summary>
    public string AccountId { get; init; } = "000000000000";

    /// <summary>Registries per account, the default registry included.</summary>
    public int MaxRegistries { get; init; } = 100;

    /// <summary>Schemas across all registries.</summary>
    public int MaxSchemas { get; init; } = 10_000;

    /// <summary>Live versions per schema.</summary>
    public int MaxVersionsPerSchema { get; init; } = 1_000;

    /// <summary>Metadata key-value pairs per schema version.</summary>
    public int MaxMetadataPerVersion { get; init; } = 10;

    /// <summary>Tags per registry or schema.</summary>
    public int MaxTagsPerResource { get; init; } = 50;
}
