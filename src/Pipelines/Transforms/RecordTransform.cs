using Streams.Formats.Model;

namespace Streams.Pipelines.Transforms;

/// <summary>A bound transform that processes each record on its own, synchronously.</summary>
public abstract class RecordTransform(RecordSchema output, string label) : BoundTransform(output)
{
    /// <summary>The transform label for dead letters.</summary>
    protected string Label { get; } = label;

    /// <inheritdoc />
    public override ValueTask<RecordBatch> ApplyAsync(RecordBatch batch, TransformContext context, CancellationToken cancellationToken)
    {
        var builder = RecordBatch.CreateBuilder(Output, batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            GenericRecord? result;
            try
            {
                result = Apply(batch.Records[i]);
            }
            catch (Exception e) when (e is Expressions.ExpressionEvaluationException or InvalidCastException or OverflowException or FormatException or ArithmeticException)
            {
                context.AddDeadLetter(batch, i, Label, e.Message);
                continue;
            }

            if (result is not null)
            {
                builder.Add(result, batch.PositionOf(i));
            }
        }

        return ValueTask.FromResult(builder.Build());
    }

    /// <summary>The output record for <paramref name="record"/>, or null to drop it.</summary>
    protected abstract GenericRecord? Apply(GenericRecord record);
}
