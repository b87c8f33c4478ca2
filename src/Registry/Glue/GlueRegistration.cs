namespace Streams.Registry.Glue;

/// <summary>The outcome of <c>RegisterSchemaVersion</c>: AVAILABLE, or FAILURE (with why) when compatibility refused it.</summary>
public sealed record GlueRegistration(string SchemaVersionId, long VersionNumber, string Status, string? FailureReason);
