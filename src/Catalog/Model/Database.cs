namespace Streams.Catalog.Model;

/// <summary>A catalog database (Glue <c>Database</c>): a namespace of tables.</summary>
public sealed record Database
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public string? LocationUri { get; init; }
    public Dictionary<string, string>? Parameters { get; init; }
    public DateTimeOffset? CreateTime { get; init; }
    public string? CatalogId { get; init; }
}

/// <summary>What a caller supplies to create or update a database (Glue <c>DatabaseInput</c>).</summary>
public sealed record DatabaseInput
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? LocationUri { get; init; }
    public Dictionary<string, string>? Parameters { get; init; }
}
