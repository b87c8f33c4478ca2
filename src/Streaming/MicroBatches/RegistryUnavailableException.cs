namespace Streams.Streaming.MicroBatches;

/// <summary>The schema registry could not answer: a micro-batch cannot be checked, so it is neither written nor dead-lettered.</summary>
public sealed class RegistryUnavailableException(string message, Exception innerException) : Exception(message, innerException);
