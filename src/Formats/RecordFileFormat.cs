using Streams.Formats.Model;

namespace Streams.Formats;

/// <summary>
/// A file format records can be read from and written to, known to <see cref="RecordFiles"/> by its
/// file extensions. A format implements this once and is added with one entry to <see cref="RecordFiles"/>.
/// </summary>
public abstract class RecordFileFormat
{
    /// <summary>The format's short name, e.g. <c>avro</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The file extensions, with the dot, e.g. <c>.avro</c>.</summary>
    public abstract IReadOnlyList<string> Extensions { get; }

    /// <summary>True when the format stores the schema (so a reader needs none).</summary>
    public abstract bool StoresSchema { get; }

    /// <summary>The compression codecs a writer accepts in <see cref="RecordFileOptions.Codec"/>; empty when it has none.</summary>
    public virtual IReadOnlyList<string> Codecs => [];

    /// <summary>Opens a reader over <paramref name="stream"/>, which it owns.</summary>
    /// <exception cref="RecordFileException">The file's header or metadata is bad.</exception>
    public abstract Task<IRecordReader> OpenReaderAsync(Stream stream, RecordFileOptions options, CancellationToken cancellationToken);

    /// <summary>Opens a writer of <paramref name="schema"/> records onto <paramref name="stream"/>, which it owns.</summary>
    public abstract Task<IRecordWriter> OpenWriterAsync(Stream stream, Schema schema, RecordFileOptions options,
        CancellationToken cancellationToken);

    /// <inheritdoc />
    public override string ToString() => Name;
}
