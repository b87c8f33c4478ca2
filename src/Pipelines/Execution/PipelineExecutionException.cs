namespace Streams.Pipelines.Execution;

/// <summary>A driver was wired or used wrongly (an output without a sink, two position owners...).</summary>
public sealed class PipelineExecutionException(string message) : Exception(message);
