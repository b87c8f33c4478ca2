namespace Streams.Batch.Sources;

/// <summary>A backfill's source cannot be resolved: no such table or path, no lake configured, a bad predicate, no schema.</summary>
public sealed class BatchSourceException(string message, Exception? innerException = null) : Exception(message, innerException);
