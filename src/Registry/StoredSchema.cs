namespace Streams.Registry;

/// <summary>A schema by its global id, independent of the subjects it is registered under.</summary>
/// <param name="Id">The global schema id.</param>
/// <param name="SchemaType">The schema type (<see cref="SchemaTypes.Avro"/>...).</param>
/// <param name="Schema">The schema text as first registered.</param>
/// <param name="References">The references it resolves its named types through.</param>
public sealed record StoredSchema(int Id, string SchemaType, string Schema, IReadOnlyList<SchemaReference> References);
