namespace Streams.Formats.Model;

/// <summary>
/// A union of branches. A value of a union is carried as the value of the branch it belongs to
/// (not wrapped); codecs pick the branch from the value's CLR type and, for records, its schema.
/// </summary>
public sealed class UnionSchema : Schema
{
    /// <summary>Creates a union. Unions may not directly contain unions, nor two unnamed branches of one kind.</summary>
    public UnionSchema(IReadOnlyList<Schema> branches)
        : base(null, null)
    {
        ArgumentNullException.ThrowIfNull(branches);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var branch in branches)
        {
            if (branch is UnionSchema)
            {
                throw new SchemaException("A union may not immediately contain another union.", "union");
            }

            var key = branch is NamedSchema named ? named.FullName : TypeName(branch.Type);
            if (!seen.Add(key))
            {
                throw new SchemaException($"A union contains '{key}' twice.", "union");
            }
        }

        Branches = branches;
    }

    /// <inheritdoc />
    public override SchemaType Type => SchemaType.Union;

    /// <summary>The branches, in order; a branch's index is its binary encoding.</summary>
    public IReadOnlyList<Schema> Branches { get; }

    /// <summary>A nullable version of <paramref name="schema"/>: <c>["null", schema]</c>, unless it already admits null.</summary>
    public static Schema Nullable(Schema schema) => schema switch
    {
        { IsNull: true } => schema,
        UnionSchema u when u.Branches.Any(b => b.IsNull) => schema,
        UnionSchema u => new UnionSchema([PrimitiveSchema.Null, .. u.Branches]),
        _ => new UnionSchema([PrimitiveSchema.Null, schema]),
    };

    /// <inheritdoc />
    public override string DisplayName => $"union<{string.Join(", ", Branches.Select(b => b.DisplayName))}>";
}
