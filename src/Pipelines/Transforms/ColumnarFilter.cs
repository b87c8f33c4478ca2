using Streams.Formats.Model;
using Streams.Pipelines.Expressions;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// A filter's condition evaluated over column vectors (the batch layer's columnar path), for conditions that are an
/// AND of <c>field op constant</c> (=, !=, &lt;, &lt;=, &gt;, &gt;=) over top-level int, long, float, double or string
/// fields, and <c>field IS [NOT] NULL</c> over any top-level field. It keeps a row exactly when the expression
/// language would (comparisons as the binder makes them: numbers widened to long or double and ordered by
/// CompareTo, strings ordinally; a null operand is not true). Other conditions run on the record path.
/// </summary>
internal sealed class ColumnarFilter
{
    private readonly Conjunct[] _conjuncts;

    private ColumnarFilter(Conjunct[] conjuncts) => _conjuncts = conjuncts;

    /// <summary>The fields the condition reads.</summary>
    public IReadOnlyList<string> Fields => [.. _conjuncts.Select(c => c.Field).Distinct(StringComparer.Ordinal)];

    /// <summary>The columnar form of <paramref name="condition"/> over <paramref name="input"/>, or null when it has another shape.</summary>
    public static ColumnarFilter? TryCreate(string condition, RecordSchema input)
    {
        Syntax syntax;
        try
        {
            syntax = Parser.Parse(condition, "filter");
        }
        catch (ExpressionException)
        {
            return null;
        }

        var conjuncts = new List<Conjunct>();
        return Collect(syntax, input, conjuncts) ? new ColumnarFilter([.. conjuncts]) : null;
    }

    /// <summary>Clears <paramref name="keep"/> where a row fails; false, changing nothing, when a vector is missing or of another type.</summary>
    public bool TryApply(ColumnarBatch batch, bool[] keep)
    {
        var vectors = new ColumnVector[_conjuncts.Length];
        for (var i = 0; i < _conjuncts.Length; i++)
        {
            if (!batch.Columns.TryGetValue(_conjuncts[i].Field, out var vector) || !_conjuncts[i].Fits(vector))
            {
                return false;
            }

            vectors[i] = vector;
        }

        for (var i = 0; i < _conjuncts.Length; i++)
        {
            _conjuncts[i].Apply(vectors[i], keep);
        }

        return true;
    }

    private static bool Collect(Syntax syntax, RecordSchema input, List<Conjunct> conjuncts)
    {
        switch (syntax)
        {
            case BinarySyntax { Operator: "AND" } and:
                return Collect(and.Left, input, conjuncts) && Collect(and.Right, input, conjuncts);
            case IsNullSyntax { Operand: FieldSyntax { Path.Count: 1 } field } isNull when input.GetField(field.Path[0]) is not null:
                conjuncts.Add(new Conjunct(field.Path[0], isNull.Negated ? "IS NOT NULL" : "IS NULL", null, FieldType.Any));
                return true;
            case BinarySyntax { Operator: "=" or "!=" or "<" or "<=" or ">" or ">=" } comparison:
                return Comparison(comparison.Left, comparison.Right, comparison.Operator, input, conjuncts)
                       || Comparison(comparison.Right, comparison.Left, Mirror(comparison.Operator), input, conjuncts);
            default:
                return false;
        }
    }

    private static bool Comparison(Syntax left, Syntax right, string op, RecordSchema input, List<Conjunct> conjuncts)
    {
        if (left is not FieldSyntax { Path.Count: 1 } field || input.GetField(field.Path[0]) is not { } f || Constant(right) is not { } constant)
        {
            return false;
        }

        var schema = f.Schema.NonNullBranch ?? f.Schema;
        if (schema is not PrimitiveSchema || schema.LogicalType is not null)
        {
            return false;
        }

        FieldType? type = (schema.Type, constant) switch
        {
            (SchemaType.Int or SchemaType.Long, int or long) => FieldType.Integer,
            (SchemaType.Int or SchemaType.Long or SchemaType.Float or SchemaType.Double, int or long or double) => FieldType.Floating,
            (SchemaType.String, string) => FieldType.String,
            _ => null,
        };
        if (type is null)
        {
            return false;
        }

        conjuncts.Add(new Conjunct(field.Path[0], op, constant, type.Value));
        return true;
    }

    private static object? Constant(Syntax syntax) => syntax switch
    {
        LiteralSyntax { Value: int or long or double or string } literal => literal.Value,
        UnarySyntax { Operator: "-", Operand: LiteralSyntax { Value: var value } } => value switch
        {
            int i when i != int.MinValue => -i,
            long l when l != long.MinValue => -l,
            double d => -d,
            _ => null,
        },
        _ => null,
    };

    private static string Mirror(string op) => op switch
    {
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        _ => op,
    };

    private enum FieldType
    {
        Any,
        Integer,
        Floating,
        String,
    }

    private sealed record Conjunct(string Field, string Operator, object? Constant, FieldType Type)
    {
        public bool Fits(ColumnVector vector) => Type switch
        {
            FieldType.Any => true,
            FieldType.Integer => vector.Type is ColumnValueType.Int32 or ColumnValueType.Int64,
            FieldType.Floating => vector.Type is ColumnValueType.Int32 or ColumnValueType.Int64 or ColumnValueType.Float or ColumnValueType.Double,
            _ => vector.Type == ColumnValueType.Coded && vector.Dictionary!.All(v => v is string),
        };

        public void Apply(ColumnVector vector, bool[] keep)
        {
            if (Type == FieldType.Any)
            {
                var wanted = Operator == "IS NULL";
                for (var r = 0; r < keep.Length; r++)
                {
                    keep[r] &= vector.IsNull(r) == wanted;
                }

                return;
            }

            Func<int, bool> test = Operator switch
            {
                "=" => c => c == 0,
                "!=" => c => c != 0,
                "<" => c => c < 0,
                "<=" => c => c <= 0,
                ">" => c => c > 0,
                _ => c => c >= 0,
            };
            switch (Type)
            {
                case FieldType.Integer:
                {
                    var constant = Convert.ToInt64(Constant, System.Globalization.CultureInfo.InvariantCulture);
                    for (var r = 0; r < keep.Length; r++)
                    {
                        keep[r] &= !vector.IsNull(r) && test(vector.Longs[r].CompareTo(constant));
                    }

                    return;
                }
                case FieldType.Floating:
                {
                    var constant = Convert.ToDouble(Constant, System.Globalization.CultureInfo.InvariantCulture);
                    var longs = vector.Type is ColumnValueType.Int32 or ColumnValueType.Int64;
                    for (var r = 0; r < keep.Length; r++)
                    {
                        keep[r] &= !vector.IsNull(r) && test((longs ? vector.Longs[r] : vector.Doubles[r]).CompareTo(constant));
                    }

                    return;
                }
                default:
                {
                    // Each distinct string is compared once.
                    var constant = (string)Constant!;
                    var passes = vector.Dictionary!.Select(v => test(string.CompareOrdinal((string)v!, constant))).ToArray();
                    for (var r = 0; r < keep.Length; r++)
                    {
                        keep[r] &= !vector.IsNull(r) && passes[vector.Longs[r]];
                    }

                    return;
                }
            }
        }
    }
}
