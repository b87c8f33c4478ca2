namespace Streams.Streaming.Archive;

/// <summary>The archive's catalog table cannot take its partitions.</summary>
public sealed class ArchiveCatalogException(string message) : Exception(message);
