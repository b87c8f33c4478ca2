using Streams.Formats.Model;
using Streams.Pipelines.Expressions;
using Streams.Serving;

namespace Streams.Pipelines.Windows;

/// <summary>
/// The one definition of the columns an aggregate measure writes: its visible value first, then its state
/// columns (prefix <see cref="ServingStore.StateColumnPrefix"/>, left out of the merged view), each with the
/// rule by which partial rows of one key merge in the serving table. The aggregator's output schema, its
/// rows (<see cref="Accumulator.Write"/> fills the columns in this order) and its serving definition all read it.
/// </summary>
internal static class MeasureColumns
{
    /// <summary>One column of a measure.</summary>
    public sealed record Column(string Name, Schema Schema, ColumnMerge Merge);

    /// <summary>The columns of <paramref name="measure"/> whose argument has <paramref name="kind"/> and <paramref name="valueSchema"/>.</summary>
    public static IReadOnlyList<Column> Of(MeasureSpec measure, ValueKind kind, Schema valueSchema, int scale)
    {
        var n = measure.Name;
        string State(string suffix) => $"{ServingStore.StateColumnPrefix}{n}_{suffix}";
        var timestamp = new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros);
        return measure.Function switch
        {
            AggregateFunction.Count => [new(n, PrimitiveSchema.Long, ColumnMerge.Add)],
            AggregateFunction.Sum => [new(n, UnionSchema.Nullable(kind switch
            {
                ValueKind.Decimal => new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(38, scale)),
                ValueKind.Double => PrimitiveSchema.Double,
                _ => PrimitiveSchema.Long,
            }), ColumnMerge.Add)],
            AggregateFunction.Min => [new(n, UnionSchema.Nullable(valueSchema), ColumnMerge.Least)],
            AggregateFunction.Max => [new(n, UnionSchema.Nullable(valueSchema), ColumnMerge.Greatest)],
            AggregateFunction.Avg =>
            [
                new(n, UnionSchema.Nullable(PrimitiveSchema.Double), new ColumnMerge.Ratio(State("sum"), State("count"))),
                new(State("sum"), PrimitiveSchema.Double, ColumnMerge.Add),
                new(State("count"), PrimitiveSchema.Long, ColumnMerge.Add),
            ],
            AggregateFunction.CountDistinct =>
            [
                new(n, PrimitiveSchema.Long, new ColumnMerge.SetSize(State("set"))),
                new(State("set"), new ArraySchema(PrimitiveSchema.String), ColumnMerge.SetUnion),
            ],
            AggregateFunction.First =>
            [
                new(n, UnionSchema.Nullable(valueSchema), new ColumnMerge.Earliest(State("at"))),
                new(State("at"), UnionSchema.Nullable(timestamp), ColumnMerge.Least),
            ],
            _ =>
            [
                new(n, UnionSchema.Nullable(valueSchema), new ColumnMerge.Latest(State("at"))),
                new(State("at"), UnionSchema.Nullable(timestamp), ColumnMerge.Greatest),
            ],
        };
    }
}
