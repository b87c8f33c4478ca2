using System.Buffers;
using System.IO.Compression;
using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Parquet.Encodings;

/// <summary>Page compression: UNCOMPRESSED, SNAPPY (IronSnappy), GZIP (System.IO.Compression); BROTLI and LZ4_RAW are also read.</summary>
internal static class PageCompression
{
    /// <summary>True for the codecs <see cref="Compress"/> accepts.</summary>
    public static bool CanWrite(CompressionCodec codec) =>
        codec is CompressionCodec.Uncompressed or CompressionCodec.Snappy or CompressionCodec.Gzip;

    /// <summary>Compresses <paramref name="input"/> onto <paramref name="output"/>; returns the compressed length.</summary>
    public static int Compress(CompressionCodec codec, ReadOnlySpan<byte> input, ArrayBufferWriter<byte> output)
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
            default:
                throw new NotSupportedException($"Writing {codec} pages is not supported; use UNCOMPRESSED, SNAPPY or GZIP.");
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
                Lz4Raw.Decompress(input, result);
                break;
            default:
                throw new NotSupportedException($"Pages compressed with {codec.ToString().ToUpperInvariant()} cannot be read; supported: UNCOMPRESSED, SNAPPY, GZIP, BROTLI, LZ4_RAW.");
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
