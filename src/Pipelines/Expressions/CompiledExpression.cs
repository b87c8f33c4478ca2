using Streams.Formats.Model;

namespace Streams.Pipelines.Expressions;

/// <summary>
/// An expression compiled against one input schema into a delegate: field positions, operators,
/// conversions and constant patterns are resolved once, so evaluating a record does no name lookups.
/// </summary>
public sealed class CompiledExpression
{
    private readonly Func<GenericRecord, object?> _evaluate;

    internal CompiledExpression(string text, ValueKind kind, Schema resultSchema, Func<GenericRecord, object?> evaluate)
    {
        Text = text;
        Kind = kind;
        ResultSchema = resultSchema;
        _evaluate = evaluate;
    }

    /// <summary>The source text.</summary>
    public string Text { get; }

    /// <summary>The static type of the result.</summary>
    public ValueKind Kind { get; }

    /// <summary>The (nullable) schema of the result, for the output field of a derive.</summary>
    public Schema ResultSchema { get; }

    /// <summary>Evaluates the expression on <paramref name="record"/>, returning a record-model value.</summary>
    /// <exception cref="ExpressionEvaluationException">The value cannot be computed (bad cast, overflow).</exception>
    public object? Evaluate(GenericRecord record)
    {
        try
        {
            return _evaluate(record);
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or FormatException or ArithmeticException or ArgumentException)
        {
            throw new ExpressionEvaluationException($"Expression '{Text}' failed: {e.Message}", e);
        }
    }
}
