namespace Streams.Registry.Glue;

/// <summary>Names a schema as Glue's <c>SchemaId</c> does: by ARN, or by name in a registry (the default one when omitted).</summary>
public sealed record GlueSchemaId(string? SchemaArn, string? SchemaName, string? RegistryName);
