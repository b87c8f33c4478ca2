namespace Streams.Registry;

/// <summary>
/// A schema's use of a type registered elsewhere: <paramref name="Name"/> is the name the schema uses
/// (for Avro, the full name of the referenced named type), found in <paramref name="Subject"/> at
/// <paramref name="Version"/>.
/// </summary>
public sealed record SchemaReference(string Name, string Subject, int Version);
