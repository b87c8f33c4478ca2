namespace Streams.Streaming.DeadLetters;

/// <summary>What a replay of dead letters did.</summary>
/// <param name="Selected">Dead letters it tried.</param>
/// <param name="Replayed">Those that passed this time: applied to the output and removed from the dead letters.</param>
/// <param name="Rows">Rows written to the serving output.</param>
/// <param name="StillDead">Those that failed again, with the new reason (kept in the table).</param>
public sealed record DeadLetterReplayResult(int Selected, int Replayed, int Rows, IReadOnlyList<KafkaDeadLetter> StillDead);
