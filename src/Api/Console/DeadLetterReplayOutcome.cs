namespace Streams.Api.Console;

/// <summary>What a replay of dead letters from the console did (<see cref="Streams.Streaming.DeadLetters.DeadLetterReplayResult"/>, for the browser).</summary>
/// <param name="Selected">Dead letters it tried.</param>
/// <param name="Replayed">Those that passed this time: applied to the serving output and removed from the dead letters.</param>
/// <param name="Rows">Rows written to the serving output.</param>
/// <param name="StillDead">Those that failed again, by their new reason (kept as dead letters).</param>
public sealed record DeadLetterReplayOutcome(int Selected, int Replayed, int Rows, IReadOnlyList<DeadLetterReason> StillDead);
