using Streams.Formats.Model;

namespace Streams.Catalog.Schemas;

/// <summary>
/// Merges schemas inferred from different records or files into one that describes them all, widening
/// where it can: <c>int</c> → <c>long</c> → <c>double</c> (and <c>float</c> → <c>double</c>), null plus a type
/// → the nullable type, records field by field (a field missing on one side becomes nullable, new fields are
/// appended), arrays and maps by their items. Types that cannot be widened into each other (say
/// <c>bigint</c> and <c>string</c>) become a union: a choice type the pipelines resolve.
/// </summary>
public static class SchemaMerger
{
    /// <summary>Merges <paramref name="left"/> and <paramref name="right"/>; <c>null</c> stands for "nothing seen yet".</summary>
    public static Schema Merge(Schema? left, Schema? right)
    {
        if (left is null)
        {
            return right ?? PrimitiveSchema.Null;
        }

        if (right is null)
        {
            return left;
        }

        var (leftNullable, leftBranches) = Split(left);
        var (rightNullable, rightBranches) = Split(right);
        var branches = new List<Schema>(leftBranches);
        foreach (var branch in rightBranches)
        {
            Fold(branches, branch);
        }

        var nullable = leftNullable || rightNullable;
        return branches.Count switch
        {
            0 => PrimitiveSchema.Null,
            1 when !nullable => branches[0],
            _ => new UnionSchema(nullable ? [PrimitiveSchema.Null, .. branches] : branches),
        };
    }

    /// <summary>Makes a record field's schema nullable (for a field absent from some records).</summary>
    public static Schema Nullable(Schema schema) => UnionSchema.Nullable(schema);

    private static (bool Nullable, List<Schema> Branches) Split(Schema schema) => schema switch
    {
        UnionSchema u => (u.Branches.Any(b => b.IsNull), u.Branches.Where(b => !b.IsNull).ToList()),
        { IsNull: true } => (true, []),
        _ => (false, [schema]),
    };

    private static void Fold(List<Schema> branches, Schema branch)
    {
        for (var i = 0; i < branches.Count; i++)
        {
            if (TryCombine(branches[i], branch) is not { } combined)
            {
                continue;
            }

            // Keep the branch's position; widening may let it absorb a later branch (int + double when long is there).
            branches[i] = combined;
            for (var j = branches.Count - 1; j > i; j--)
            {
                if (TryCombine(branches[i], branches[j]) is { } absorbed)
                {
                    branches[i] = absorbed;
                    branches.RemoveAt(j);
                }
            }

            return;
        }

        branches.Add(branch);
    }

    private static Schema? TryCombine(Schema a, Schema b)
    {
        if (ReferenceEquals(a, b))
        {
            return a;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return PrimitiveSchema.Of(Widen(a.Type, b.Type));
        }

        switch (a, b)
        {
            case (RecordSchema ra, RecordSchema rb):
                return MergeRecords(ra, rb);
            case (ArraySchema aa, ArraySchema ab):
                return new ArraySchema(Merge(aa.Items, ab.Items));
            case (MapSchema ma, MapSchema mb):
                return new MapSchema(Merge(ma.Values, mb.Values));
            case (PrimitiveSchema pa, PrimitiveSchema pb) when pa.Type == pb.Type:
                // Same representation, different annotations (a date and a plain int): keep the plain type.
                return pa.LogicalType == pb.LogicalType ? pa : PrimitiveSchema.Of(pa.Type);
            case (NamedSchema na, NamedSchema nb) when na.FullName == nb.FullName:
                return na;
            default:
                return null;
        }
    }

    private static bool IsNumber(Schema s) =>
        s is PrimitiveSchema { LogicalType: null, Type: SchemaType.Int or SchemaType.Long or SchemaType.Float or SchemaType.Double };

    private static SchemaType Widen(SchemaType a, SchemaType b) => (a, b) switch
    {
        _ when a == b => a,
        (SchemaType.Int, SchemaType.Long) or (SchemaType.Long, SchemaType.Int) => SchemaType.Long,
        _ => SchemaType.Double,
    };

    private static RecordSchema MergeRecords(RecordSchema a, RecordSchema b)
    {
        var fields = new List<Field>();
        foreach (var field in a.Fields)
        {
            var other = b.GetField(field.Name);
            fields.Add(new Field(field.Name, other is null ? Nullable(field.Schema) : Merge(field.Schema, other.Schema), field.Doc));
        }

        foreach (var field in b.Fields)
        {
            if (a.GetField(field.Name) is null)
            {
                fields.Add(new Field(field.Name, Nullable(field.Schema), field.Doc));
            }
        }

        return new RecordSchema(a.Name, fields, a.Doc);
    }
}
