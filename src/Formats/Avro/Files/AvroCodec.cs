using System.Buffers.Binary;
using System.IO.Compression;
using IronSnappy;

namespace Streams.Formats.Avro.Files;

/// <summary>
/// A block compression codec of Avro object container files (Avro 1.11 specification, "Required Codecs"
/// and "Optional Codecs"): <c>null</c>, <c>deflate</c> (raw RFC 1951), <c>snappy</c> (Snappy data
/// followed by the big-endian CRC-32 of the uncompressed data) and <c>zstandard</c> (Zstandard frames,
/// through ZstdSharp.Port).
/// </summary>
public abstract class AvroCodec
{
    private protected AvroCodec(string name)
    {
        Name = name;
    }

    /// <summary>No compression.</summary>
    public static AvroCodec Null { get; } = new NullCodec();

    /// <summary>Raw deflate at <see cref="CompressionLevel.Optimal"/>.</summary>
    public static AvroCodec Deflate { get; } = new DeflateCodec(CompressionLevel.Optimal);

    /// <summary>Snappy with a CRC-32 per block.</summary>
    public static AvroCodec Snappy { get; } = new SnappyCodec();

    /// <summary>Zstandard at zstd's default level, 3.</summary>
    public static AvroCodec Zstandard { get; } = new ZstandardCodec(Compression.Zstd.DefaultLevel);

    /// <summary>The names of the supported codecs.</summary>
    public static IReadOnlyList<string> SupportedNames { get; } = ["null", "deflate", "snappy", "zstandard"];

    /// <summary>The codec's name as stored in the <c>avro.codec</c> metadata.</summary>
    public string Name { get; }

    /// <summary>The codec called <paramref name="name"/>, or <c>null</c> when it is not supported.</summary>
    public static AvroCodec? FromName(string name) => name switch
    {
        "null" or "" => Null,
        "deflate" => Deflate,
        "snappy" => Snappy,
        "zstandard" => Zstandard,
        _ => null,
    };

    /// <summary>Zstandard at another level (1 fastest .. 22 smallest).</summary>
    public static AvroCodec ZstandardAt(int level) =>
        level is >= -7 and <= 22 ? new ZstandardCodec(level) : throw new ArgumentOutOfRangeException(nameof(level), level, "Zstandard levels run from -7 to 22.");

    /// <summary>Deflate at another compression level.</summary>
    public static AvroCodec DeflateAt(CompressionLevel level) => new DeflateCodec(level);

    /// <summary>Appends the compressed form of <paramref name="data"/> to <paramref name="output"/>.</summary>
    public abstract void Compress(ReadOnlySpan<byte> data, ByteBuffer output);

    /// <summary>
    /// Appends the decompressed form of <paramref name="data"/> to <paramref name="output"/>.
    /// Throws <see cref="InvalidDataException"/> when the data is corrupt.
    /// </summary>
    public abstract void Decompress(ReadOnlyMemory<byte> data, ByteBuffer output);

    /// <inheritdoc />
    public override string ToString() => Name;

    private sealed class NullCodec() : AvroCodec("null")
    {
        public override void Compress(ReadOnlySpan<byte> data, ByteBuffer output) => output.Write(data);

        public override void Decompress(ReadOnlyMemory<byte> data, ByteBuffer output) => output.Write(data.Span);
    }

    private sealed class DeflateCodec(CompressionLevel level) : AvroCodec("deflate")
    {
        public override void Compress(ReadOnlySpan<byte> data, ByteBuffer output)
        {
            using var deflate = new DeflateStream(new BufferWriterStream(output), level, leaveOpen: false);
            deflate.Write(data);
        }

        public override void Decompress(ReadOnlyMemory<byte> data, ByteBuffer output)
        {
            using var deflate = new DeflateStream(new ReadOnlyMemoryStream(data), CompressionMode.Decompress);
            while (true)
            {
                var span = output.GetSpan(64 * 1024);
                var read = deflate.Read(span);
                if (read == 0)
                {
                    return;
                }

                output.Advance(read);
            }
        }
    }

    private sealed class SnappyCodec() : AvroCodec("snappy")
    {
        public override void Compress(ReadOnlySpan<byte> data, ByteBuffer output)
        {
            output.Write(IronSnappy.Snappy.Encode(data));
            BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), Crc32.Compute(data));
            output.Advance(4);
        }

        public override void Decompress(ReadOnlyMemory<byte> data, ByteBuffer output)
        {
            if (data.Length < 4)
            {
                throw new InvalidDataException($"A snappy block of {data.Length} bytes is too short to hold its CRC-32.");
            }

            byte[] decoded;
            try
            {
                decoded = IronSnappy.Snappy.Decode(data.Span[..^4]);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidDataException($"Corrupt snappy data: {e.Message}", e);
            }

            var expected = BinaryPrimitives.ReadUInt32BigEndian(data.Span[^4..]);
            var actual = Crc32.Compute(decoded);
            if (expected != actual)
            {
                throw new InvalidDataException($"Snappy block CRC-32 mismatch: stored {expected:x8}, computed {actual:x8}.");
            }

            output.Write(decoded);
        }
    }

    private sealed class ZstandardCodec(int level) : AvroCodec("zstandard")
    {
        public override void Compress(ReadOnlySpan<byte> data, ByteBuffer output) => Compression.Zstd.Compress(data, output, level);

        // Java and Python write through streaming encoders, whose frames need not state their size.
        public override void Decompress(ReadOnlyMemory<byte> data, ByteBuffer output) => Compression.Zstd.Decompress(data.Span, output);
    }

    /// <summary>A write-only stream appending to a <see cref="ByteBuffer"/>, for the deflate encoder.</summary>
    private sealed class BufferWriterStream(ByteBuffer output) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => output.Write(buffer);
    }

    /// <summary>A read-only stream over memory, for the deflate decoder.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, data.Length - _position);
            data.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
