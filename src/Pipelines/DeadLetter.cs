using Streams.Formats.Model;
using Streams.Serving;

namespace Streams.Pipelines;

/// <summary>A record a transform could not process: kept with the reason and where it came from, never dropped silently.</summary>
/// <param name="Record">The record as the failing transform received it; null when the data could not be read as a record (an unreadable file, block or row).</param>
/// <param name="Position">Its source position (topic/partition/offset or file/row), if known.</param>
/// <param name="Transform">The failing transform, e.g. <c>transforms[2] (apply_mapping)</c>.</param>
/// <param name="Reason">What went wrong, naming the field.</param>
public sealed record DeadLetter(GenericRecord? Record, SourcePosition? Position, string Transform, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Transform} at {Position?.ToString() ?? "unknown position"}: {Reason}";
}
