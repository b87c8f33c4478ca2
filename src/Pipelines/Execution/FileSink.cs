using System.Text;
using Streams.Formats;
using Streams.Formats.Model;
using Streams.Pipelines.Files;

namespace Streams.Pipelines.Execution;

/// <summary>
/// Writes every output to files, as <c>streams run</c> does: the main output to <c>OUTPUT</c> (its
/// extension picks the format), child outputs to <c>OUTPUT.child.EXT</c>, dead letters to
/// <c>OUTPUT.dead-letters.jsonl</c> (<see cref="DeadLetterJson"/>). Files open on first use; the main file
/// is created at completion even when empty. Positions are not stored: a file run restarts from the start.
/// Every file is written under a temporary name (<see cref="StagedFile"/>) and renamed at completion, so a run
/// that fails leaves no partial output behind.
/// </summary>
/// <param name="outputPath">The main output file.</param>
public sealed class FileSink(string outputPath) : IPipelineSink
{
    private readonly Dictionary<string, (IRecordWriter Writer, string Path, long Rows)> _children = new(StringComparer.Ordinal);
    private readonly List<StagedFile> _staged = [];
    private IRecordWriter? _main;
    private long _written;
    private StreamWriter? _deadLetters;
    private long _dead;
    private bool _directory;
    private bool _disposed;

    /// <summary>The dead-letter file beside the output.</summary>
    public string DeadLetterPath => Sibling("dead-letters", ".jsonl");

    /// <inheritdoc />
    public bool Accepts(string output) => true;

    /// <inheritdoc />
    public async Task WriteAsync(PipelineStep step, CancellationToken cancellationToken)
    {
        var result = step.Result;
        if (!_directory && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(outputPath)) is { } directory)
        {
            Directory.CreateDirectory(directory);
            _directory = true;
        }

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
                    var path = Sibling(name, System.IO.Path.GetExtension(outputPath));
                    child = (await OpenWriterAsync(path, batch.Schema, cancellationToken), path, 0);
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
            _deadLetters ??= new StreamWriter(Stage(DeadLetterPath).TemporaryPath, append: false, new UTF8Encoding(false));
            await _deadLetters.WriteLineAsync(DeadLetterJson.Format(dead).AsMemory(), cancellationToken);
            _dead++;
        }
    }

    /// <inheritdoc />
    public async Task CompleteAsync(PipelineStep step, CancellationToken cancellationToken)
    {
        await WriteAsync(step, cancellationToken);
        if (step.MainSchema is { } schema)
        {
            await EnsureMainAsync(schema, cancellationToken);
        }

        await CloseAsync();
        foreach (var staged in _staged)
        {
            staged.Commit();
        }
    }

    /// <summary>What was written, for <paramref name="read"/> input records.</summary>
    public FileRunSummary Summary(long read) => new(read, _written, _dead,
        _children.ToDictionary(c => c.Key, c => (c.Value.Path, c.Value.Rows)), _dead > 0 ? DeadLetterPath : null);

    private async Task EnsureMainAsync(RecordSchema schema, CancellationToken cancellationToken)
    {
        _main ??= await OpenWriterAsync(outputPath, schema, cancellationToken);
    }

    private async Task<IRecordWriter> OpenWriterAsync(string path, RecordSchema schema, CancellationToken cancellationToken) =>
        await RecordFiles.OpenWriterAsync(Stage(path).TemporaryPath, schema, new RecordFileOptions { FileName = path }, cancellationToken);

    private StagedFile Stage(string path)
    {
        var staged = new StagedFile(path);
        _staged.Add(staged);
        return staged;
    }

    private string Sibling(string name, string extension)
    {
        var directory = System.IO.Path.GetDirectoryName(outputPath) ?? "";
        return System.IO.Path.Combine(directory, $"{System.IO.Path.GetFileNameWithoutExtension(outputPath)}.{name}{extension}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        foreach (var staged in _staged)
        {
            staged.Dispose();
        }
    }

    private async Task CloseAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
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
