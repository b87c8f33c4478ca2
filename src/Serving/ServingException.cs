namespace Streams.Serving;

/// <summary>A serving-layer operation failed for a reason the caller can act on (bad name, schema mismatch...).</summary>
public sealed class ServingException(string message, Exception? innerException = null)
    : Exception(message, innerException);
