using Streams.Formats.Model;
using Streams.Pipelines.Expressions;

namespace Streams.Pipelines.Transforms;

/// <summary>Keeps the records for which a condition is true (null counts as false).</summary>
public sealed class FilterTransform(string condition) : Transform
{
    /// <summary>The condition, in the expression language.</summary>
    public string Condition { get; } = condition;

    /// <inheritdoc />
    public override string Kind => "filter";

    /// <inheritdoc />
    public override BoundTransform Bind(RecordSchema input) =>
        new Bound(input, ExpressionCompiler.CompilePredicate(Condition, input, "filter"), Name);

    private sealed class Bound(RecordSchema schema, CompiledExpression condition, string label) : RecordTransform(schema, label)
    {
        protected override GenericRecord? Apply(GenericRecord record) => condition.Evaluate(record) is true ? record : null;
    }
}
