using System.Runtime.CompilerServices;
using Streams.Formats;
using Streams.Formats.Model;

namespace Streams.Pipelines.Execution;

/// <summary>
/// Reads one record file (any format <see cref="RecordFiles"/> knows, by extension) in its reader's
/// batches; each record carries its row as position, and each batch commits the bookmark
/// (<see cref="SourcePosition.InFile"/>, next row). An empty file yields one empty batch, so the
/// sinks learn the schema. A JSON line or CSV row that does not fit the schema becomes a dead letter (the
/// reason names the file and line or row; its position is the row its batch starts at) and reading
/// goes on; damage a reader cannot step over (a corrupt Avro block) still ends the run with its error.
/// </summary>
/// <param name="path">The file.</param>
/// <param name="schema">The schema for inputs that carry none (JSON lines), or null.</param>
public sealed class RecordFileSource(string path, Schema? schema = null) : IRecordBatchSource
{
    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <inheritdoc />
    public async IAsyncEnumerable<SourceBatch> ReadAsync(IReadOnlyList<SourcePosition> resume,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var skip = resume.Where(p => p.Source == Path && p.Partition == SourcePosition.FilePartition).Select(p => p.Offset).DefaultIfEmpty(0).Max();
        long row = 0;
        var unread = new List<DeadLetter>();
        await using var reader = await RecordFiles.OpenReaderAsync(Path, new RecordFileOptions
        {
            Schema = schema,
            OnBadRecord = e => unread.Add(new DeadLetter(null, SourcePosition.InFile(Path, row), "source", e.Message)),
        }, cancellationToken);
        var recordSchema = reader.Schema as RecordSchema ?? throw new InvalidOperationException(
            $"{Path}: the records are {reader.Schema.DisplayName}, not records; a pipeline reads records.");
        var any = false;
        while (await reader.ReadBatchAsync(cancellationToken) is { } values)
        {
            var first = (int)Math.Clamp(skip - row, 0, values.Count);
            var records = new GenericRecord[values.Count - first];
            var positions = new SourcePosition?[records.Length];
            for (var i = 0; i < records.Length; i++)
            {
                records[i] = (GenericRecord)values[first + i]!;
                positions[i] = SourcePosition.InFile(Path, row + first + i);
            }

            row += values.Count;
            var dead = TakeAll(unread);
            if (records.Length == 0 && dead is null)
            {
                continue;
            }

            any = true;
            yield return new SourceBatch(new RecordBatch(recordSchema, records, positions), [SourcePosition.InFile(Path, row)], dead);
        }

        if (!any || unread.Count > 0)
        {
            yield return new SourceBatch(new RecordBatch(recordSchema, []), [], TakeAll(unread));
        }
    }

    private static List<DeadLetter>? TakeAll(List<DeadLetter> unread)
    {
        if (unread.Count == 0)
        {
            return null;
        }

        var taken = new List<DeadLetter>(unread);
        unread.Clear();
        return taken;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
