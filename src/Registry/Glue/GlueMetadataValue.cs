namespace Streams.Registry.Glue;

/// <summary>One metadata pair of a version, when it was put.</summary>
public sealed record GlueMetadataValue(string MetadataValue, string CreatedTime);
