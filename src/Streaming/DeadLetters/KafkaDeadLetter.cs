using Streams.Streaming.MicroBatches;

namespace Streams.Streaming.DeadLetters;

/// <summary>A consumed record that produced no output: kept with its bytes, its position and why.</summary>
/// <param name="Record">The record as consumed (topic, partition, offset, timestamp, key and value bytes).</param>
/// <param name="SchemaId">The schema id of its wire-format header, when it had one.</param>
/// <param name="Stage">Where it failed: <see cref="SchemaStage"/>, or the failing transform (<c>transforms[2] (apply_mapping)</c>).</param>
/// <param name="Reason">What went wrong.</param>
public sealed record KafkaDeadLetter(KafkaRecord Record, int? SchemaId, string Stage, string Reason)
{
    /// <summary>The stage of records the registry schema rejected (header, schema id, body, resolution).</summary>
    public const string SchemaStage = "schema";
}
