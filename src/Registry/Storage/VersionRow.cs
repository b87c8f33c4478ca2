namespace Streams.Registry.Storage;

/// <summary>One row of <c>registry.subject_versions</c>.</summary>
internal readonly record struct VersionRow(string Subject, int Version, int SchemaId, bool Deleted);
