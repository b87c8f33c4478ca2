using System.Buffers;
using System.IO.Compression;
using Streams.Formats.Compression;
using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Parquet.Encodings;

/// <summary>
/// Page compression: UNCOMPRESSED, SNAPPY (IronSnappy), GZIP and BROTLI (System.IO.Compression), ZSTD
/// (ZstdSharp.Port), LZ4_RAW and LZ4 with Hadoop framing (K4os.Compression.LZ4). All are read; all but BROTLI
/// are written. LZO is neither.
/// </summary>
internal static class PageCompression
{
    /// <summary>The codecs <see cref="Compress"/> accepts, as Parquet names them.</summary>
    public const string WritableNames = "UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW or LZ4";

    /// <summary>True for the codecs <see cref="Compress"/> accepts.</summary>
    public static bool CanWrite(CompressionCodec codec) =>
        codec is CompressionCodec.Uncompressed or CompressionCodec.Snappy or CompressionCodec.Gzip
            or CompressionCodec.Zstd or CompressionCodec.Lz4Raw or CompressionCodec.Lz4;

    /// <summary>
    /// Compresses <paramref name="input"/> onto <paramref name="output"/>; returns the compressed length.
    /// <paramref name="level"/> is the ZSTD level (ignored by the other codecs); null means zstd's default.
    /// </summary>
    public static int Compress(CompressionCodec codec, ReadOnlySpan<byte> input, ArrayBufferWriter<byte> output, int? level = null)
    {
        var before = output.WrittenCount;
        switch (codec)
        {
            case CompressionCodec.Uncompressed:
                output.Write(input);
                break;
            case CompressionCodec.Snappy:
                output.Write(IronSnappy.Snappy.Encode(input));
                break;
            case CompressionCodec.Gzip:
            {
                using var stream = new BufferWriterStream(output);
                using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true))
                {
                    gzip.Write(input);
                }

                break;
            }
            case CompressionCodec.Zstd:
                Zstd.Compress(input, output, level ?? Zstd.DefaultLevel);
                break;
            case CompressionCodec.Lz4Raw:
            {
                var span = output.GetSpan(K4os.Compression.LZ4.LZ4Codec.MaximumOutputSize(input.Length));
                output.Advance(Lz4Block.Compress(input, span));
                break;
            }
            case CompressionCodec.Lz4:
                Lz4Hadoop.Compress(input, output);
                break;
            default:
                throw new NotSupportedException($"Writing {codec} pages is not supported; use {WritableNames}.");
        }

        return output.WrittenCount - before;
    }

    /// <summary>Decompresses a page body of <paramref name="uncompressedLength"/> bytes.</summary>
    /// <exception cref="InvalidDataException">The data is corrupt or has the wrong length.</exception>
    public static byte[] Decompress(CompressionCodec codec, ArraySegment<byte> input, int uncompressedLength)
    {
        byte[] result;
        switch (codec)
        {
            case CompressionCodec.Uncompressed:
                result = input.ToArray();
                break;
            case CompressionCodec.Snappy:
                try
                {
                    result = IronSnappy.Snappy.Decode(input);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new InvalidDataException($"Corrupt SNAPPY data: {e.Message}", e);
                }

                break;
            case CompressionCodec.Gzip:
                result = Inflate(input, uncompressedLength, s => new GZipStream(s, CompressionMode.Decompress));
                break;
            case CompressionCodec.Brotli:
                result = Inflate(input, uncompressedLength, s => new BrotliStream(s, CompressionMode.Decompress));
                break;
            case CompressionCodec.Lz4Raw:
                result = new byte[uncompressedLength];
                Lz4Block.Decompress(input, result);
                break;
            case CompressionCodec.Lz4:
                result = new byte[uncompressedLength];
                Lz4Hadoop.Decompress(input, result);
                break;
            case CompressionCodec.Zstd:
                result = new byte[uncompressedLength];
                Zstd.Decompress(input, result);
                break;
            default:
                throw new NotSupportedException($"Pages compressed with {codec.ToString().ToUpperInvariant()} cannot be read; supported: UNCOMPRESSED, SNAPPY, GZIP, BROTLI, ZSTD, LZ4_RAW, LZ4.");
        }

        if (result.Length != uncompressedLength)
        {
            throw new InvalidDataException($"The page decompressed to {result.Length} bytes; its header says {uncompressedLength}.");
        }

        return result;
    }

    private static byte[] Inflate(ArraySegment<byte> input, int uncompressedLength, Func<Stream, Stream> open)
    {
        {
            using var source = new MemoryStream(input.Array!, input.Offset, input.Count, writable: false);
            using var decoder = open(source);
            var result = new byte[uncompressedLength];
            var read = 0;
            try
            {
                while (read < result.Length)
                {
                    var n = decoder.Read(result, read, result.Length - read);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }
            }
            catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
            {
                throw new InvalidDataException($"Corrupt compressed data: {e.Message}", e);
            }

            return read == result.Length ? result : result[..read];
        }
    }
}
