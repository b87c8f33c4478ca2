using Streams.Formats.Avro;
using Streams.Formats.Json;
using Streams.Formats.Model;

namespace Streams.Formats;

/// <summary>
/// Opens record files by extension: <c>.avro</c> (Avro object container files), <c>.jsonl</c> / <c>.ndjson</c>
/// (JSON lines), <c>.parquet</c>. Formats register here with one entry each.
/// </summary>
public static class RecordFiles
{
    private static readonly object Gate = new();
    private static RecordFileFormat[] _formats =
    [
        AvroRecordFileFormat.Instance,
        JsonLinesRecordFileFormat.Instance,
        Parquet.ParquetRecordFileFormat.Instance,
        Csv.CsvRecordFileFormat.Instance,
    ];

    /// <summary>The registered formats.</summary>
    public static IReadOnlyList<RecordFileFormat> Formats => Volatile.Read(ref _formats);

    /// <summary>Adds a format (one whose extensions are not taken yet).</summary>
    public static void Register(RecordFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        lock (Gate)
        {
            var taken = _formats.SelectMany(f => f.Extensions).Intersect(format.Extensions, StringComparer.OrdinalIgnoreCase).ToList();
            if (taken.Count > 0)
            {
                throw new InvalidOperationException($"Extension {taken[0]} already belongs to another format.");
            }

            Volatile.Write(ref _formats, [.. _formats, format]);
        }
    }

    /// <summary>The format of <paramref name="path"/> by its extension, or <c>null</c>.</summary>
    public static RecordFileFormat? FindFormat(string path)
    {
        var extension = Path.GetExtension(path);
        return Formats.FirstOrDefault(f => f.Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The format of <paramref name="path"/> by its extension.</summary>
    /// <exception cref="NotSupportedException">No format has that extension; the message lists those that do.</exception>
    public static RecordFileFormat GetFormat(string path) => FindFormat(path) ?? throw new NotSupportedException(
        $"{path}: unknown file type '{Path.GetExtension(path)}'; supported: " +
        string.Join(", ", Formats.SelectMany(f => f.Extensions)) + ".");

    /// <summary>Opens the file at <paramref name="path"/> for reading, by its extension.</summary>
    public static async Task<IRecordReader> OpenReaderAsync(string path, RecordFileOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var format = GetFormat(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        try
        {
            return await format.OpenReaderAsync(stream, (options ?? new RecordFileOptions()) with { FileName = options?.FileName ?? path },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates (or overwrites) the file at <paramref name="path"/> for writing <paramref name="schema"/> records, by its extension.</summary>
    public static async Task<IRecordWriter> OpenWriterAsync(string path, Schema schema, RecordFileOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var format = GetFormat(path);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, useAsync: true);
        try
        {
            return await format.OpenWriterAsync(stream, schema, (options ?? new RecordFileOptions()) with { FileName = options?.FileName ?? path },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
