namespace Streams.Pipelines.Specs;

/// <summary>A pipeline spec is invalid; the message names the file, the line and the key path (e.g. <c>transforms[2].filter</c>).</summary>
public sealed class PipelineSpecException(string message, Exception? innerException = null) : Exception(message, innerException);
