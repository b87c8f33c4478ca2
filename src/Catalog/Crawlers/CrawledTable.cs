using Streams.Catalog.Model;

namespace Streams.Catalog.Crawlers;

/// <summary>A table a crawler found, with the partitions it found (empty for an unpartitioned table).</summary>
/// <param name="Input">The table definition to write.</param>
/// <param name="Partitions">The partitions, with their storage and statistics.</param>
public sealed record CrawledTable(TableInput Input, IReadOnlyList<CrawledPartition> Partitions);

/// <summary>A partition a crawler found.</summary>
public sealed record CrawledPartition(List<string> Values, StorageDescriptor Storage, int FileCount, long Bytes);
