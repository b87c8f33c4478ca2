using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Pipelines.Execution;

namespace Streams.Batch.Backfills;

/// <summary>
/// Stands before the serving batch sink: counts what goes to the dead letters, keeps (in an incremental run) only
/// the rows of the recomputed ranges, and refuses to complete, so that the swap rolls back, when the run must
/// fail: nothing could be read, or more dead letters than allowed. The watermark never moves back: an incremental
/// run over old files keeps the current one.
/// </summary>
/// <param name="serving">The serving batch sink.</param>
/// <param name="source">The backfill's source, for its counts.</param>
/// <param name="maxErrors">The most dead letters a successful run may have, or null.</param>
/// <param name="replaced">The recomputed ranges of an incremental run (null until known), or null for a full run.</param>
/// <param name="watermark">The watermark given by the caller, or null for the window's.</param>
/// <param name="current">The output's current watermark, or null.</param>
internal sealed class BackfillSink(ServingBatchSink serving, BackfillSource source, long? maxErrors,
    Func<IReadOnlyList<(DateTime From, DateTime To)>?>? replaced, DateTime? watermark, DateTime? current) : IPipelineSink
{
    private readonly int _time = serving.Output.Schema.GetField(serving.Output.TimeColumn)!.Position;

    public long DeadLetters { get; private set; }

    public long RowsWritten { get; private set; }

    /// <summary>The watermark swapped in, after completion.</summary>
    public DateTime? Watermark { get; private set; }

    public bool Accepts(string output) => serving.Accepts(output);

    public Task WriteAsync(PipelineStep step, CancellationToken cancellationToken)
    {
        step = Filter(step);
        Count(step);
        return serving.WriteAsync(step, cancellationToken);
    }

    public Task CompleteAsync(PipelineStep step, CancellationToken cancellationToken)
    {
        step = Filter(step);
        Count(step);
        if (source.Rows == 0 && source.Unreadable > 0)
        {
            throw new BackfillFailedException($"Nothing could be read: {source.Unreadable} files or parts of files are unreadable (see the dead letters reported).");
        }

        if (maxErrors is { } max && DeadLetters > max)
        {
            throw new BackfillFailedException($"{DeadLetters} dead letters exceed --max-errors {max}; nothing was swapped in.");
        }

        Watermark = watermark ?? (step.Watermark is { } w && current is { } c && c > w ? c : step.Watermark ?? current);
        return serving.CompleteAsync(step with { Watermark = Watermark }, cancellationToken);
    }

    private void Count(PipelineStep step)
    {
        DeadLetters += step.Result.DeadLetters.Count;
        source.DeadLetters = DeadLetters;
        RowsWritten += step.Result.Output.Count;
    }

    private PipelineStep Filter(PipelineStep step)
    {
        // Before the ranges are known (the first phase), every row comes from a changed file, so lies in them.
        if (replaced?.Invoke() is not { } ranges || step.Result.Output.Count == 0)
        {
            return step;
        }

        var output = step.Result.Output;
        var kept = new List<GenericRecord>(output.Count);
        foreach (var row in output.Records)
        {
            if (row[_time] is DateTime t && ranges.Any(r => t >= r.From && t < r.To))
            {
                kept.Add(row);
            }
        }

        return step with { Result = step.Result with { Output = new RecordBatch(output.Schema, kept) } };
    }

    public ValueTask DisposeAsync() => serving.DisposeAsync();
}
