namespace Streams.Registry.Glue;

/// <summary>A version and the schema it belongs to, as the metadata operations answer.</summary>
public sealed record GlueVersionRef(string RegistryName, string SchemaName, string SchemaArn, Guid SchemaVersionId, long VersionNumber,
    bool LatestVersion);
