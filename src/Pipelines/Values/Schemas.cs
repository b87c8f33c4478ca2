using Streams.Formats.Model;

namespace Streams.Pipelines.Values;

/// <summary>Helpers for building the output schemas of transforms.</summary>
public static class Schemas
{
    /// <summary>A record with <paramref name="like"/>'s name and the given fields (copied, so positions are fresh).</summary>
    public static RecordSchema Record(RecordSchema like, IEnumerable<Field> fields) => Record(like.Name, fields);

    /// <summary>A record named <paramref name="name"/> with the given fields.</summary>
    public static RecordSchema Record(SchemaName name, IEnumerable<Field> fields) =>
        new(name, fields.Select(f => new Field(f.Name, f.Schema, f.Doc, f.HasDefault, f.Default, f.Order, f.Aliases, f.Properties)));

    /// <summary>A new field named <paramref name="name"/> of <paramref name="schema"/>.</summary>
    public static Field Field(string name, Schema schema) => new(name, schema);

    /// <summary>True when the schema admits null.</summary>
    public static bool IsNullable(Schema schema) => schema.IsNull || (schema is UnionSchema u && u.Branches.Any(b => b.IsNull));

    /// <summary>The non-null branches of a schema (itself when it is not a union).</summary>
    public static IReadOnlyList<Schema> NonNullBranches(Schema schema) =>
        schema is UnionSchema u ? [.. u.Branches.Where(b => !b.IsNull)] : schema.IsNull ? [] : [schema];

    /// <summary>The record a (possibly nullable) schema is, or null.</summary>
    public static RecordSchema? AsRecord(Schema schema) => (schema.NonNullBranch ?? schema) as RecordSchema;
}
