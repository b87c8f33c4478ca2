using Streams.Formats.Model;

namespace Streams.Pipelines.Transforms;

/// <summary>A transform compiled for one input schema.</summary>
public abstract class BoundTransform(RecordSchema output)
{
    /// <summary>The schema of the records this produces.</summary>
    public RecordSchema Output { get; } = output;

    /// <summary>Processes a batch; records that fail go to <paramref name="context"/>'s dead letters.</summary>
    public abstract ValueTask<RecordBatch> ApplyAsync(RecordBatch batch, TransformContext context, CancellationToken cancellationToken);
}
