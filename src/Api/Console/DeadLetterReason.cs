namespace Streams.Api.Console;

/// <summary>A dead-letter reason and how many letters give it.</summary>
public sealed record DeadLetterReason(string Reason, long Count);
