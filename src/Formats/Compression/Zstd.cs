using System.Buffers;
using ZstdSharp;

namespace Streams.Formats.Compression;

/// <summary>
/// Zstandard frames through ZstdSharp.Port, shared by Parquet pages (ZSTD) and Avro blocks (<c>zstandard</c>).
/// Compression and decompression contexts are kept per thread, since creating one costs more than a small page.
/// </summary>
internal static class Zstd
{
    /// <summary>The level used when none is given: zstd's own default, 3.</summary>
    public const int DefaultLevel = 3;

    [ThreadStatic]
    private static Compressor? t_compressor;

    [ThreadStatic]
    private static int t_compressorLevel;

    [ThreadStatic]
    private static Decompressor? t_decompressor;

    /// <summary>Appends one frame holding <paramref name="input"/> (with its content size) to <paramref name="output"/>.</summary>
    public static void Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output, int level = DefaultLevel)
    {
        if (t_compressor is null || t_compressorLevel != level)
        {
            t_compressor?.Dispose();
            t_compressor = new Compressor(level);
            t_compressorLevel = level;
        }

        var span = output.GetSpan(Compressor.GetCompressBound(input.Length));
        output.Advance(t_compressor.Wrap(input, span));
    }

    /// <summary>Decompresses frames into exactly <paramref name="output"/>.</summary>
    /// <exception cref="InvalidDataException">The data is corrupt or does not fill the output.</exception>
    public static void Decompress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var length = Unwrap(input, output);
        if (length != output.Length)
        {
            throw new InvalidDataException($"The ZSTD data decompressed to {length} bytes; {output.Length} were expected.");
        }
    }

    /// <summary>Decompresses frames whose size the caller does not know (Avro blocks) onto <paramref name="output"/>.</summary>
    /// <exception cref="InvalidDataException">The data is corrupt.</exception>
    public static void Decompress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        // An upper bound (zstd's decompressBound): the exact content size where the frame states it,
        // whole blocks otherwise.
        ulong size;
        try
        {
            size = Decompressor.GetDecompressedSize(input);
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"Corrupt ZSTD data: {e.Message}", e);
        }

        if (size is > 0 and <= int.MaxValue)
        {
            var span = output.GetSpan((int)size);
            output.Advance(Unwrap(input, span[..(int)size]));
            return;
        }

        // No usable bound (an empty or oversized frame): decode through a stream.
        using var decoder = new DecompressionStream(new MemoryStream(input.ToArray(), writable: false));
        try
        {
            while (true)
            {
                var span = output.GetSpan(64 * 1024);
                var read = decoder.Read(span);
                if (read == 0)
                {
                    return;
                }

                output.Advance(read);
            }
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"Corrupt ZSTD data: {e.Message}", e);
        }
    }

    private static int Unwrap(ReadOnlySpan<byte> input, Span<byte> output)
    {
        t_decompressor ??= new Decompressor();
        try
        {
            return t_decompressor.Unwrap(input, output);
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"Corrupt ZSTD data: {e.Message}", e);
        }
    }
}
