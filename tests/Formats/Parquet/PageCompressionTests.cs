using System.Buffers;
using System.Buffers.Binary;
using Streams.Formats.Parquet.Encodings;
using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Tests.Parquet;

public sealed class PageCompressionTests
{
    private static byte[] Sample(int length)
    {
        var random = new Random(length);
        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++)
        {
            // Compressible but not trivial: short runs of a few symbols.
            bytes[i] = (byte)(i % 64 < 40 ? random.Next(4) : i / 7);
        }

        return bytes;
    }

    [Theory]
    [InlineData(CompressionCodec.Zstd, 0)]
    [InlineData(CompressionCodec.Zstd, 100_000)]
    [InlineData(CompressionCodec.Lz4Raw, 0)]
    [InlineData(CompressionCodec.Lz4Raw, 100_000)]
    [InlineData(CompressionCodec.Lz4, 0)]
    [InlineData(CompressionCodec.Lz4, 100_000)]
    public void Pages_round_trip_and_shrink(CompressionCodec codec, int length)
    {
        var input = Sample(length);
        var output = new ArrayBufferWriter<byte>();
        var written = PageCompression.Compress(codec, input, output);
        written.Should().Be(output.WrittenCount);
        if (length > 0)
        {
            written.Should().BeLessThan(length / 2);
        }

        PageCompression.Decompress(codec, new ArraySegment<byte>(output.WrittenSpan.ToArray()), length).Should().Equal(input);
    }

    [Fact]
    public void Hadoop_LZ4_pages_are_framed_and_several_frames_are_read()
    {
        var first = Sample(5000);
        var second = Sample(7000);
        var output = new ArrayBufferWriter<byte>();
        PageCompression.Compress(CompressionCodec.Lz4, first, output);
        BinaryPrimitives.ReadInt32BigEndian(output.WrittenSpan).Should().Be(first.Length);
        BinaryPrimitives.ReadInt32BigEndian(output.WrittenSpan[4..]).Should().Be(output.WrittenCount - 8);
        PageCompression.Compress(CompressionCodec.Lz4, second, output);

        PageCompression.Decompress(CompressionCodec.Lz4, new ArraySegment<byte>(output.WrittenSpan.ToArray()), first.Length + second.Length)
            .Should().Equal(first.Concat(second));
    }

    [Fact]
    public void LZ4_pages_of_old_writers_without_framing_are_read_as_bare_blocks()
    {
        var input = Sample(20_000);
        var bare = new ArrayBufferWriter<byte>();
        PageCompression.Compress(CompressionCodec.Lz4Raw, input, bare);
        PageCompression.Decompress(CompressionCodec.Lz4, new ArraySegment<byte>(bare.WrittenSpan.ToArray()), input.Length).Should().Equal(input);
    }

    [Theory]
    [InlineData(CompressionCodec.Zstd)]
    [InlineData(CompressionCodec.Lz4Raw)]
    [InlineData(CompressionCodec.Lz4)]
    public void A_page_of_the_wrong_length_is_invalid_data(CompressionCodec codec)
    {
        var input = Sample(10_000);
        var output = new ArrayBufferWriter<byte>();
        PageCompression.Compress(codec, input, output);
        var act = () => PageCompression.Decompress(codec, new ArraySegment<byte>(output.WrittenSpan.ToArray()), input.Length + 1);
        act.Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void Every_writable_codec_is_named_in_the_writer_options_error()
    {
        var act = () => new Streams.Formats.Parquet.ParquetWriter(new MemoryStream(), ParquetTestData.FlatSchema,
            new Streams.Formats.Parquet.ParquetWriterOptions { Compression = CompressionCodec.Brotli });
        act.Should().Throw<ArgumentException>().WithMessage("*ZSTD, LZ4_RAW or LZ4*");
    }
}
