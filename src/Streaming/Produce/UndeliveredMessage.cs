namespace Streams.Streaming.Produce;

/// <summary>A message <see cref="WireProducer"/> reported undelivered: the caller's number for it, its key and value bytes, and why.</summary>
internal sealed record UndeliveredMessage(long Number, int Size, string Reason);
