namespace Streams.Registry;

/// <summary>A schema sent to register, look up or test: the body of those requests.</summary>
/// <param name="Schema">The schema text.</param>
/// <param name="SchemaType">The schema type; <c>null</c> means Avro.</param>
/// <param name="References">The references the schema uses, or <c>null</c>.</param>
/// <param name="Id">In IMPORT mode, the id the schema had in the registry it comes from.</param>
/// <param name="Version">In IMPORT mode, the version it had there.</param>
public sealed record SchemaSubmission(
    string Schema,
    string? SchemaType = null,
    IReadOnlyList<SchemaReference>? References = null,
    int? Id = null,
    int? Version = null);
