namespace Streams.Api.Console;

/// <summary>A pipeline's dead letters: the reasons with their counts, the total, and the newest letters (of one reason, when asked).</summary>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetterReason> Reasons, long Total, IReadOnlyList<DeadLetterEntry> Letters);
