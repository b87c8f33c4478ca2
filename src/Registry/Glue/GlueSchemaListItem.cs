namespace Streams.Registry.Glue;

/// <summary>A schema as <c>ListSchemas</c> lists it.</summary>
public sealed record GlueSchemaListItem(string RegistryName, string SchemaName, string SchemaArn, string? Description, string SchemaStatus,
    string CreatedTime, string UpdatedTime);
