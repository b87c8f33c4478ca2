namespace Streams.Serving.Query;

/// <summary>A query was refused (not read-only, several statements, outside the serving schema) or failed in the database.</summary>
public sealed class QueryRefusedException(string message, Exception? innerException = null)
    : Exception(message, innerException);
