namespace Streams.Streaming;

/// <summary>The speed layer stopped because of an error (PostgreSQL, the registry, Kafka); nothing after the last committed micro-batch was applied.</summary>
public sealed class SpeedLayerException(string message, Exception? innerException = null) : Exception(message, innerException);
