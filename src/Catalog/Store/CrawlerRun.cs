namespace Streams.Catalog.Store;

/// <summary>A recorded crawler run with its metrics and messages.</summary>
public sealed record CrawlerRun(
    long Id,
    string CrawlerName,
    DateTimeOffset Started,
    DateTimeOffset? Finished,
    string Status,
    string? Error,
    int TablesCreated,
    int TablesUpdated,
    int TablesDeleted,
    int PartitionsAdded,
    int FilesRead,
    int FilesSkipped,
    int FilesUnreadable,
    int FilesUnclassified,
    IReadOnlyList<string> Messages);
