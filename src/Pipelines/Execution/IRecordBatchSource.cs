namespace Streams.Pipelines.Execution;

/// <summary>Where a driver's records come from, in the pull loop (<see cref="PipelineDriver.RunAsync"/>).</summary>
public interface IRecordBatchSource : IAsyncDisposable
{
    /// <summary>
    /// Reads the batches, starting after <paramref name="resume"/> (positions committed earlier: next offset
    /// or row per source partition; empty: from the beginning).
    /// </summary>
    IAsyncEnumerable<SourceBatch> ReadAsync(IReadOnlyList<Formats.Model.SourcePosition> resume, CancellationToken cancellationToken);
}
