using Streams.Formats.Avro.Binary;

namespace Streams.Formats.Avro.Files;

/// <summary>Options of <see cref="AvroFileWriter"/>.</summary>
public sealed record AvroFileWriterOptions
{
    /// <summary>The block codec; <see cref="AvroCodec.Null"/> by default.</summary>
    public AvroCodec Codec { get; init; } = AvroCodec.Null;

    /// <summary>
    /// The uncompressed size in bytes at which a block is written out (a block ends after the record that
    /// crosses it); 64 KiB by default, as larger blocks compress better but cost memory on both sides.
    /// </summary>
    public int BlockSize { get; init; } = 64 * 1024;

    /// <summary>Extra header metadata; keys may not start with <c>avro.</c>.</summary>
    public IReadOnlyDictionary<string, byte[]>? Metadata { get; init; }

    /// <summary>The 16-byte sync marker; random when not given (give one for reproducible files).</summary>
    public ReadOnlyMemory<byte>? SyncMarker { get; init; }

    /// <summary>
    /// Write arrays and maps as blocks with byte sizes, so readers can skip them without decoding (see
    /// <see cref="AvroDatumWriter.For(Model.Schema, bool)"/>). Off by default, like the Java and Python writers.
    /// </summary>
    public bool SizedBlocks { get; init; }

    /// <summary>Leave the stream open when the writer is disposed.</summary>
    public bool LeaveOpen { get; init; }
}
