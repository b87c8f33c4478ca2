namespace Streams.Jobs.Runs;

/// <summary>A run cannot execute as its job and arguments say: the message, naming the fix, becomes the run's ErrorMessage.</summary>
public sealed class JobRunException(string message, Exception? inner = null) : Exception(message, inner);
