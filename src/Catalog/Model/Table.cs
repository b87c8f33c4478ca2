namespace Streams.Catalog.Model;

/// <summary>A catalog table (Glue <c>Table</c>).</summary>
public sealed record Table
{
    public required string Name { get; init; }
    public string? DatabaseName { get; init; }
    public string? Description { get; init; }
    public string? Owner { get; init; }
    public DateTimeOffset? CreateTime { get; init; }
    public DateTimeOffset? UpdateTime { get; init; }
    public DateTimeOffset? LastAccessTime { get; init; }
    public int? Retention { get; init; }
    public StorageDescriptor? StorageDescriptor { get; init; }
    public List<Column>? PartitionKeys { get; init; }
    public string? TableType { get; init; }
    public Dictionary<string, string>? Parameters { get; init; }
    public string? CreatedBy { get; init; }
    public string? CatalogId { get; init; }
    public string? VersionId { get; init; }
}

/// <summary>What a caller supplies to create or update a table (Glue <c>TableInput</c>).</summary>
public sealed record TableInput
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? Owner { get; init; }
    public DateTimeOffset? LastAccessTime { get; init; }
    public int? Retention { get; init; }
    public StorageDescriptor? StorageDescriptor { get; init; }
    public List<Column>? PartitionKeys { get; init; }
    public string? TableType { get; init; }
    public Dictionary<string, string>? Parameters { get; init; }
}

/// <summary>A previous (or the current) definition of a table (Glue <c>TableVersion</c>).</summary>
public sealed record TableVersion(Table Table, string VersionId);
