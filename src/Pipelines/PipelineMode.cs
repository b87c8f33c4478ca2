namespace Streams.Pipelines;

/// <summary>Which layer runs a pipeline; the transforms are the same, only window emission differs.</summary>
public enum PipelineMode
{
    /// <summary>The speed layer: aggregates are emitted as partial states after every micro-batch; late records are rejected.</summary>
    Speed,

    /// <summary>The batch layer: aggregates are emitted once, when the input is complete; every record counts.</summary>
    Batch,
}
