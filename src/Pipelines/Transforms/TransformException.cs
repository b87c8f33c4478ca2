namespace Streams.Pipelines.Transforms;

/// <summary>A transform does not apply to its input schema (unknown field, wrong type, bad option).</summary>
public sealed class TransformException(string message, Exception? innerException = null) : Exception(message, innerException);
