namespace Streams.Catalog.Model;

/// <summary>
/// A partition of a table (Glue <c>Partition</c>). <see cref="Values"/> are in partition-key order, as text;
/// they are compared by the key's type. The crawler's statistics are in <see cref="Parameters"/>
/// (<c>numFiles</c>, <c>totalSize</c>) and <see cref="LastAnalyzedTime"/> (the last crawl).
/// </summary>
public sealed record Partition
{
    public required List<string> Values { get; init; }
    public string? DatabaseName { get; init; }
    public string? TableName { get; init; }
    public DateTimeOffset? CreationTime { get; init; }
    public DateTimeOffset? LastAccessTime { get; init; }
    public StorageDescriptor? StorageDescriptor { get; init; }
    public Dictionary<string, string>? Parameters { get; init; }
    public DateTimeOffset? LastAnalyzedTime { get; init; }
    public string? CatalogId { get; init; }
}

/// <summary>What a caller supplies to create a partition (Glue <c>PartitionInput</c>).</summary>
public sealed record PartitionInput
{
    public List<string>? Values { get; init; }
    public DateTimeOffset? LastAccessTime { get; init; }
    public StorageDescriptor? StorageDescriptor { get; init; }
    public Dictionary<string, string>? Parameters { get; init; }
    public DateTimeOffset? LastAnalyzedTime { get; init; }
}

/// <summary>The values that identify one partition (Glue <c>PartitionValueList</c>).</summary>
public sealed record PartitionValueList(List<string> Values);
