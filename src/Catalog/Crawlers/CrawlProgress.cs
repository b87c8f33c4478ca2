namespace Streams.Catalog.Crawlers;

/// <summary>Where a crawl is: files classified so far out of those listed, and the current file or step.</summary>
public sealed record CrawlProgress(int FilesDone, int FilesTotal, string Current);
