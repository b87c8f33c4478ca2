namespace Streams.Pipelines.Files;

/// <summary>What a pipeline run over a file did.</summary>
/// <param name="RecordsRead">Input records.</param>
/// <param name="RecordsWritten">Rows written to the main output.</param>
/// <param name="DeadLetters">Records sent to the dead-letter file.</param>
/// <param name="Children">Rows written per child output file.</param>
/// <param name="DeadLetterPath">The dead-letter file, when there were dead letters.</param>
public sealed record FileRunSummary(long RecordsRead, long RecordsWritten, long DeadLetters, IReadOnlyDictionary<string, (string Path, long Rows)> Children,
    string? DeadLetterPath);
