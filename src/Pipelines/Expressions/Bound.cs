using Streams.Formats.Model;

namespace Streams.Pipelines.Expressions;

/// <summary>A type-checked, compiled node: its type and its evaluator over a record (values in the internal representation).</summary>
/// <param name="Kind">The static type.</param>
/// <param name="Eval">Computes the value: bool, int, long, decimal (CLR), double, string, DateOnly, DateTime, or a model value for Other.</param>
/// <param name="Position">Where the node starts in the source, for messages.</param>
/// <param name="Scale">The scale of a decimal.</param>
/// <param name="Schema">The exact model schema when the value passes a field through unchanged.</param>
/// <param name="IsConstant">True when the value does not depend on the record.</param>
internal sealed record Bound(ValueKind Kind, Func<GenericRecord, object?> Eval, int Position, int Scale = 0, Schema? Schema = null, bool IsConstant = false)
{
    public object? ConstantValue => IsConstant ? Eval(null!) : throw new InvalidOperationException("Not a constant.");
}
