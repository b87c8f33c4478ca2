namespace Streams.Registry;

/// <summary>A schema as registered under a subject: the answer of a version lookup.</summary>
/// <param name="Subject">The subject.</param>
/// <param name="Id">The global schema id.</param>
/// <param name="Version">The version within the subject.</param>
/// <param name="SchemaType">The schema type (<see cref="SchemaTypes.Avro"/>...).</param>
/// <param name="Schema">The schema text as registered.</param>
/// <param name="References">The references it resolves its named types through.</param>
public sealed record RegisteredSchema(
    string Subject, int Id, int Version, string SchemaType, string Schema, IReadOnlyList<SchemaReference> References)
{
    /// <summary>The version's UUID (Glue's schema version id), when the answer carries it.</summary>
    public Guid? VersionId { get; init; }
}
