namespace Streams.Catalog.Model;

/// <summary>A custom classifier (Glue <c>Classifier</c>): exactly one of the kinds is set.</summary>
public sealed record Classifier
{
    public CsvClassifierDefinition? CsvClassifier { get; init; }
    public JsonClassifierDefinition? JsonClassifier { get; init; }

    /// <summary>The classifier's name, whichever kind it is.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Name => CsvClassifier?.Name ?? JsonClassifier?.Name;
}

/// <summary>A custom CSV classifier (Glue <c>CsvClassifier</c>).</summary>
public sealed record CsvClassifierDefinition
{
    public required string Name { get; init; }
    public string? Delimiter { get; init; }
    public string? QuoteSymbol { get; init; }
    /// <summary><c>UNKNOWN</c> (detect), <c>PRESENT</c> or <c>ABSENT</c>.</summary>
    public string? ContainsHeader { get; init; }
    public List<string>? Header { get; init; }
    public bool? AllowSingleColumn { get; init; }
    public DateTimeOffset? CreationTime { get; init; }
    public DateTimeOffset? LastUpdated { get; init; }
    public long? Version { get; init; }
}

/// <summary>A custom JSON classifier (Glue <c>JsonClassifier</c>): <c>JsonPath</c> selects the records, e.g. <c>$[*]</c>.</summary>
public sealed record JsonClassifierDefinition
{
    public required string Name { get; init; }
    public required string JsonPath { get; init; }
    public DateTimeOffset? CreationTime { get; init; }
    public DateTimeOffset? LastUpdated { get; init; }
    public long? Version { get; init; }
}
