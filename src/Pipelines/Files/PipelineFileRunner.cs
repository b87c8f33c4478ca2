using System.Text;
using System.Text.Json;
using Streams.Formats;
using Streams.Formats.Model;
using Streams.Serving;

namespace Streams.Pipelines.Files;

/// <summary>
/// Runs a pipeline over one record file (any format <see cref="RecordFiles"/> knows, by extension) into
/// an output file, in <see cref="PipelineMode.Batch"/>: the code path of the batch layer, without Kafka.
/// Child outputs go to <c>OUTPUT.child.EXT</c>; dead letters to <c>OUTPUT.dead-letters.jsonl</c> as JSON lines
/// <c>{"transform", "reason", "position": {"source", "partition", "offset"}, "record"}</c>.
/// </summary>
public static class PipelineFileRunner
{
    /// <summary>Runs <paramref name="runner"/> over <paramref name="inputPath"/> into <paramref name="outputPath"/>.</summary>
    /// <param name="runner">A runner in batch mode (prepared by this call).</param>
    /// <param name="inputPath">The input file.</param>
    /// <param name="outputPath">The output file; its extension picks the format.</param>
    /// <param name="inputSchema">The schema for inputs that carry none (JSON lines), or null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<FileRunSummary> RunAsync(PipelineRunner runner, string inputPath, string outputPath, Schema? inputSchema,
        CancellationToken cancellationToken = default)
    {
        await runner.PrepareAsync(cancellationToken);
        if (Path.GetDirectoryName(Path.GetFullPath(outputPath)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        await using var reader = await RecordFiles.OpenReaderAsync(inputPath, new RecordFileOptions { Schema = inputSchema }, cancellationToken);
        var schema = reader.Schema as RecordSchema ?? throw new InvalidOperationException(
            $"{inputPath}: the records are {reader.Schema.DisplayName}, not records; a pipeline reads records.");
        var outputs = new Outputs(outputPath);
        await using var _ = outputs;
        long read = 0;
        while (await reader.ReadBatchAsync(cancellationToken) is { } values)
        {
            var records = new GenericRecord[values.Count];
            var positions = new SourcePosition?[values.Count];
            for (var i = 0; i < values.Count; i++)
            {
                records[i] = (GenericRecord)values[i]!;
                positions[i] = SourcePosition.InFile(inputPath, read + i);
            }

            read += values.Count;
            await outputs.WriteAsync(await runner.ProcessAsync(new RecordBatch(schema, records, positions), cancellationToken), cancellationToken);
        }

        await outputs.WriteAsync(runner.Complete(), cancellationToken);
        await outputs.EnsureMainAsync(runner.OutputSchema(schema), cancellationToken);
        return outputs.Summary(read);
    }

    /// <summary>The output, child and dead-letter files, opened on first use.</summary>
    private sealed class Outputs(string outputPath) : IAsyncDisposable
    {
        private readonly Dictionary<string, (IRecordWriter Writer, string Path, long Rows)> _children = new(StringComparer.Ordinal);
        private IRecordWriter? _main;
        private long _written;
        private StreamWriter? _deadLetters;
        private long _dead;

        private string DeadLetterPath => Sibling("dead-letters", ".jsonl");

        public async Task WriteAsync(PipelineResult result, CancellationToken cancellationToken)
        {
            if (result.Output.Count > 0)
            {
                await EnsureMainAsync(result.Output.Schema, cancellationToken);
                foreach (var record in result.Output.Records)
                {
                    await _main!.WriteAsync(record, cancellationToken);
                }

                _written += result.Output.Count;
            }

            foreach (var (name, batches) in result.Children)
            {
                foreach (var batch in batches.Where(b => b.Count > 0))
                {
                    if (!_children.TryGetValue(name, out var child))
                    {
                        var path = Sibling(name, Path.GetExtension(outputPath));
                        child = (await RecordFiles.OpenWriterAsync(path, batch.Schema, cancellationToken: cancellationToken), path, 0);
                    }

                    foreach (var record in batch.Records)
                    {
                        await child.Writer.WriteAsync(record, cancellationToken);
                    }

                    _children[name] = child with { Rows = child.Rows + batch.Count };
                }
            }

            foreach (var dead in result.DeadLetters)
            {
                _deadLetters ??= new StreamWriter(DeadLetterPath, append: false, new UTF8Encoding(false));
                await _deadLetters.WriteLineAsync(DeadLetterJson(dead).AsMemory(), cancellationToken);
                _dead++;
            }

        }

        public async Task EnsureMainAsync(RecordSchema schema, CancellationToken cancellationToken) =>
            _main ??= await RecordFiles.OpenWriterAsync(outputPath, schema, cancellationToken: cancellationToken);

        public FileRunSummary Summary(long read) => new(read, _written, _dead,
            _children.ToDictionary(c => c.Key, c => (c.Value.Path, c.Value.Rows)), _dead > 0 ? DeadLetterPath : null);

        private string Sibling(string name, string extension)
        {
            var directory = Path.GetDirectoryName(outputPath) ?? "";
            return Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(outputPath)}.{name}{extension}");
        }

        private static string DeadLetterJson(DeadLetter dead)
        {
            var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                json.WriteStartObject();
                json.WriteString("transform", dead.Transform);
                json.WriteString("reason", dead.Reason);
                json.WritePropertyName("position");
                if (dead.Position is { } position)
                {
                    json.WriteStartObject();
                    json.WriteString("source", position.Source);
                    json.WriteNumber("partition", position.Partition);
                    json.WriteNumber("offset", position.Offset);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteNullValue();
                }

                json.WritePropertyName("record");
                ModelJson.Write(json, dead.Record);
                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        public async ValueTask DisposeAsync()
        {
            if (_main is not null)
            {
                await _main.DisposeAsync();
            }

            foreach (var child in _children.Values)
            {
                await child.Writer.DisposeAsync();
            }

            if (_deadLetters is not null)
            {
                await _deadLetters.DisposeAsync();
            }
        }
    }
}
