namespace Streams.Batch.Backfills;

/// <summary>A backfill stopped before its swap: nothing it computed is visible and the bookmark did not move.</summary>
public sealed class BackfillFailedException(string message, Exception? innerException = null) : Exception(message, innerException);
