namespace Streams.Pipelines.Expressions;

/// <summary>An expression failed on one record (a cast of a bad value, an overflow); the record goes to the dead letters.</summary>
public sealed class ExpressionEvaluationException(string message, Exception? innerException = null)
    : Exception(message, innerException);
