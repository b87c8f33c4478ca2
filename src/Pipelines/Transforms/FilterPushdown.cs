using Streams.Formats.Model;
using Streams.Formats.Parquet;
using Streams.Pipelines.Expressions;
using Streams.Pipelines.Specs;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// The parts of a pipeline's filters that a file reader may use to skip data by statistics (Parquet row
/// groups): <c>field op constant</c> conjuncts of the filters that run first, before any transform could
/// rename or change a field. Skipping is only an optimisation: the filter still tests every record read.
/// </summary>
public static class FilterPushdown
{
    /// <summary>
    /// The predicates every record the pipeline keeps satisfies, over fields of <paramref name="input"/>;
    /// empty when nothing can be pushed down.
    /// </summary>
    public static IReadOnlyList<ParquetPredicate> Predicates(PipelineSpec spec, RecordSchema input)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(input);
        var predicates = new List<ParquetPredicate>();
        foreach (var transform in spec.Transforms)
        {
            if (transform is not FilterTransform filter)
            {
                // Any other transform may rename, derive or drop fields: later filters speak about its output.
                break;
            }

            Collect(Parser.Parse(filter.Condition, "filter"), input, predicates);
        }

        return predicates;
    }

    private static void Collect(Syntax syntax, RecordSchema input, List<ParquetPredicate> predicates)
    {
        switch (syntax)
        {
            case BinarySyntax { Operator: "AND" } and:
                Collect(and.Left, input, predicates);
                Collect(and.Right, input, predicates);
                break;
            case BinarySyntax { Operator: "=" or "!=" or "<" or "<=" or ">" or ">=" } comparison:
                if (Comparison(comparison.Left, comparison.Right, comparison.Operator, input) is { } forward)
                {
                    predicates.Add(forward);
                }
                else if (Comparison(comparison.Right, comparison.Left, Mirror(comparison.Operator), input) is { } mirrored)
                {
                    predicates.Add(mirrored);
                }

                break;
            case BetweenSyntax { Negated: false } between:
                if (Comparison(between.Operand, between.Low, ">=", input) is { } low && Comparison(between.Operand, between.High, "<=", input) is { } high)
                {
                    predicates.Add(low);
                    predicates.Add(high);
                }

                break;
            case IsNullSyntax { Operand: FieldSyntax field } isNull when Leaf(field, input) is not null:
                predicates.Add(new ParquetPredicate(field.Name, isNull.Negated ? ComparisonOperator.IsNotNull : ComparisonOperator.IsNull));
                break;
        }
    }

    private static ParquetPredicate? Comparison(Syntax left, Syntax right, string op, RecordSchema input)
    {
        if (left is not FieldSyntax field || right is not LiteralSyntax { Value: not null } literal || Leaf(field, input) is not { } schema)
        {
            return null;
        }

        var value = Convert(literal.Value, schema);
        if (value is null)
        {
            return null;
        }

        var comparison = op switch
        {
            "=" => ComparisonOperator.Equal,
            "!=" => ComparisonOperator.NotEqual,
            "<" => ComparisonOperator.LessThan,
            "<=" => ComparisonOperator.LessThanOrEqual,
            ">" => ComparisonOperator.GreaterThan,
            _ => ComparisonOperator.GreaterThanOrEqual,
        };
        return new ParquetPredicate(field.Name, comparison, value);
    }

    private static string Mirror(string op) => op switch
    {
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        _ => op,
    };

    /// <summary>The non-null schema of a primitive field the path names, or null (nested through lists, maps, unions of several types).</summary>
    private static Schema? Leaf(FieldSyntax field, RecordSchema input)
    {
        Schema current = input;
        foreach (var name in field.Path)
        {
            if ((current.NonNullBranch ?? current) is not RecordSchema record || record.GetField(name) is not { } f)
            {
                return null;
            }

            current = f.Schema;
        }

        var leaf = current.NonNullBranch ?? current;
        return leaf is PrimitiveSchema ? leaf : null;
    }

    /// <summary>
    /// The literal as the record model's value of <paramref name="schema"/>, or null when the comparison
    /// the expression makes is not the one statistics would make (say a string compared with a number).
    /// </summary>
    private static object? Convert(object literal, Schema schema)
    {
        if (schema.LogicalType is not null)
        {
            // Dates, timestamps and decimals compare by the binder's own rules (text parsing, scales):
            // leave them to the filter rather than guess the same conversion here.
            return null;
        }

        return (schema.Type, literal) switch
        {
            (SchemaType.Int, int i) => i,
            (SchemaType.Long, int i) => (long)i,
            (SchemaType.Long, long l) => l,
            (SchemaType.Double, int i) => (double)i,
            (SchemaType.Double, long l) => (double)l,
            (SchemaType.Double, double d) => d,
            (SchemaType.Float, int i) => (float)i,
            (SchemaType.String, string s) => s,
            (SchemaType.Boolean, bool b) => b,
            _ => null,
        };
    }
}
