namespace Streams.Streaming.Produce;

/// <summary>Nothing could be sent: the file, schema, subject, topic or broker is not usable. The message names the fix.</summary>
public sealed class FileProduceException(string message, Exception? innerException = null) : Exception(message, innerException);
