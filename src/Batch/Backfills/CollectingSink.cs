using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Pipelines.Execution;
using Streams.Pipelines.Specs;

namespace Streams.Batch.Backfills;

/// <summary>Keeps a split's main output and dead letters in memory: a shared run stages them with the split.</summary>
internal sealed class CollectingSink : IPipelineSink
{
    public List<GenericRecord> Rows { get; } = [];

    public List<DeadLetter> DeadLetters { get; } = [];

    public RecordSchema? Schema { get; private set; }

    public bool Accepts(string output) => output is SinkSpec.Main or SinkSpec.DeadLetters;

    public Task WriteAsync(PipelineStep step, CancellationToken cancellationToken)
    {
        Schema ??= step.MainSchema;
        Rows.AddRange(step.Result.Output.Records);
        DeadLetters.AddRange(step.Result.DeadLetters);
        return Task.CompletedTask;
    }

    public Task CompleteAsync(PipelineStep step, CancellationToken cancellationToken) => WriteAsync(step, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
