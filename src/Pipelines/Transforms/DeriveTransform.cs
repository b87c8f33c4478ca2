using Streams.Formats.Model;
using Streams.Pipelines.Expressions;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Transforms;

/// <summary>Adds a column computed by an expression, or replaces the column of that name in place.</summary>
public sealed class DeriveTransform(string column, string expression) : Transform
{
    /// <summary>The column to add or replace.</summary>
    public string Column { get; } = column;

    /// <summary>The expression computing it.</summary>
    public string Expression { get; } = expression;

    /// <inheritdoc />
    public override string Kind => "derive";

    /// <inheritdoc />
    public override BoundTransform Bind(RecordSchema input)
    {
        var compiled = ExpressionCompiler.Compile(Expression, input, Column);
        var existing = input.GetField(Column);
        var fields = input.Fields.Select(f => f.Name == Column ? Schemas.Field(Column, compiled.ResultSchema) : f).ToList();
        if (existing is null)
        {
            fields.Add(Schemas.Field(Column, compiled.ResultSchema));
        }

        var output = Schemas.Record(input, fields);
        return new Bound(output, compiled, existing?.Position ?? input.Fields.Count, Name);
    }

    private sealed class Bound(RecordSchema output, CompiledExpression expression, int position, string label) : RecordTransform(output, label)
    {
        protected override GenericRecord? Apply(GenericRecord record)
        {
            var value = expression.Evaluate(record);
            var values = new object?[Output.Fields.Count];
            record.Values.CopyTo(values);
            values[position] = value;
            return new GenericRecord(Output, values);
        }
    }
}
