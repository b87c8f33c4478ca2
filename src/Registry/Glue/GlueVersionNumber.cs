namespace Streams.Registry.Glue;

/// <summary>A version of a schema as Glue's <c>SchemaVersionNumber</c> names it: a number, or the latest.</summary>
public sealed record GlueVersionNumber(bool LatestVersion, long? VersionNumber);
