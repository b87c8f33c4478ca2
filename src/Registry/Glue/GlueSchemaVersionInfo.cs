namespace Streams.Registry.Glue;

/// <summary>A schema version as <c>GetSchemaVersion</c> describes it.</summary>
public sealed record GlueSchemaVersionInfo(string SchemaVersionId, string SchemaDefinition, string DataFormat, string SchemaArn,
    long VersionNumber, string Status, string CreatedTime);
