namespace Streams.Pipelines.Execution;

/// <summary>
/// Where a driver's outputs go. Every sink gets every step and writes the outputs it
/// <see cref="Accepts"/>; the driver refuses a step with an output no sink accepts, so nothing is dropped.
/// </summary>
public interface IPipelineSink : IAsyncDisposable
{
    /// <summary>True when the sink stores <paramref name="output"/>: <c>main</c>, a child output name, or <c>dead_letters</c>.</summary>
    bool Accepts(string output);

    /// <summary>Stores one step's outputs; a sink that is also the <see cref="IPipelineStateStore"/> stores the positions and state with them.</summary>
    Task WriteAsync(PipelineStep step, CancellationToken cancellationToken);

    /// <summary>Stores the final step and finishes (closes files, swaps a batch in).</summary>
    Task CompleteAsync(PipelineStep step, CancellationToken cancellationToken);
}
