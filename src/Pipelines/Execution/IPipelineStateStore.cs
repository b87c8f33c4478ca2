namespace Streams.Pipelines.Execution;

/// <summary>
/// A sink that owns the positions: it stores each step's positions and state in the same transaction as its
/// data, and loads them back when a driver starts or a partition is assigned. At most one per driver.
/// </summary>
public interface IPipelineStateStore : IPipelineSink
{
    /// <summary>The committed positions and the state committed with them.</summary>
    Task<PipelineState> LoadStateAsync(CancellationToken cancellationToken);
}
