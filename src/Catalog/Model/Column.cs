namespace Streams.Catalog.Model;

/// <summary>A column (Glue <c>Column</c>): a name and a Hive/Glue type string such as <c>bigint</c> or <c>struct&lt;a:int&gt;</c>.</summary>
public sealed record Column
{
    public required string Name { get; init; }
    public string? Type { get; init; }
    public string? Comment { get; init; }
    public Dictionary<string, string>? Parameters { get; init; }
}
