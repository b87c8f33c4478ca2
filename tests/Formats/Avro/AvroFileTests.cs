using Streams.Formats.Avro;
using Streams.Formats.Avro.Files;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

public sealed class AvroFileTests
{
    public static TheoryData<string> Codecs => new() { "null", "deflate", "snappy", "zstandard" };

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task Records_round_trip_through_many_blocks(string codec)
    {
        var records = Enumerable.Range(0, 40).Select(AvroTestData.Sample).ToList();
        var stream = new MemoryStream();
        await using (var writer = AvroFileWriter.Create(stream, AvroTestData.AllTypes,
                         new AvroFileWriterOptions { Codec = AvroCodec.FromName(codec)!, BlockSize = 2000, LeaveOpen = true }))
        {
            foreach (var record in records)
            {
                await writer.WriteAsync(record);
            }
        }

        stream.Position = 0;
        await using var reader = await AvroFileReader.OpenAsync(stream);
        reader.Header.Codec.Name.Should().Be(codec);
        var read = await reader.ReadAllAsync().ToListAsync();
        read.Should().HaveCount(40);
        for (var i = 0; i < records.Count; i++)
        {
            read[i].Should().Be(records[i]);
        }

        reader.BlocksRead.Should().BeGreaterThan(3);
    }

    [Fact]
    public async Task A_file_without_records_is_just_a_header()
    {
        var stream = new MemoryStream();
        AvroFileWriter.Create(stream, PrimitiveSchema.Long, new AvroFileWriterOptions { LeaveOpen = true }).Dispose();
        stream.Position = 0;
        await using var reader = await AvroFileReader.OpenAsync(stream);
        (await reader.ReadAllAsync().ToListAsync()).Should().BeEmpty();
        reader.WriterSchema.Type.Should().Be(SchemaType.Long);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task Appending_continues_the_file_with_its_schema_codec_and_sync_marker(string codec)
    {
        var path = Path.Combine(Path.GetTempPath(), $"append-{Guid.NewGuid():N}.avro");
        try
        {
            await using (var writer = AvroFileWriter.Create(path, PrimitiveSchema.String,
                             new AvroFileWriterOptions { Codec = AvroCodec.FromName(codec)!, Metadata = new Dictionary<string, byte[]> { ["who"] = "me"u8.ToArray() } }))
            {
                await writer.WriteAsync("a");
                await writer.WriteAsync("b");
            }

            await using (var appender = await AvroFileWriter.OpenAppendAsync(path))
            {
                appender.Codec.Name.Should().Be(codec);
                await appender.WriteAsync("c");
            }

            await using var reader = await AvroFileReader.OpenAsync(path);
            (await reader.ReadAllAsync().ToListAsync()).Should().Equal("a", "b", "c");
            reader.Header.Metadata["who"].Should().Equal("me"u8.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task A_truncated_file_returns_the_good_blocks_then_names_the_bad_block_and_offset(string codec)
    {
        var (bytes, blockOffsets) = await WriteBlocks(codec, blocks: 3);
        var cut = bytes[..(int)(blockOffsets[2] + 5)];
        await using var reader = await AvroFileReader.OpenAsync(new MemoryStream(cut), fileName: "cut.avro");
        var good = new List<object?>();
        var act = async () =>
        {
            await foreach (var record in reader.ReadAllAsync())
            {
                good.Add(record);
            }
        };
        var error = (await act.Should().ThrowAsync<AvroFileException>()).Which;
        error.BlockIndex.Should().Be(2);
        error.Offset.Should().Be(blockOffsets[2]);
        error.FileName.Should().Be("cut.avro");
        error.Message.Should().Contain("cut.avro").And.Contain("block 2").And.Contain("truncated");
        good.Should().Equal(Enumerable.Range(0, 20).Select(i => (object?)(long)i));
    }

    [Fact]
    public async Task A_corrupt_sync_marker_is_reported_with_the_block()
    {
        var (bytes, blockOffsets) = await WriteBlocks("null", blocks: 2);
        bytes[(int)blockOffsets[1] - 1] ^= 0xFF; // the last byte of block 0's sync marker
        await using var reader = await AvroFileReader.OpenAsync(new MemoryStream(bytes));
        var act = async () => await reader.ReadAllAsync().ToListAsync();
        (await act.Should().ThrowAsync<AvroFileException>()).Which.Should().Match<AvroFileException>(e =>
            e.BlockIndex == 0 && e.Offset == blockOffsets[0] && e.Reason.Contains("sync marker"));
    }

    /// <summary>Java's ZstandardCodec writes through a streaming encoder, whose frames do not state their size.</summary>
    [Fact]
    public void Zstandard_blocks_from_streaming_encoders_are_read()
    {
        var data = Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251 < 100 ? 7 : i)).ToArray();
        var compressed = new MemoryStream();
        using (var encoder = new ZstdSharp.CompressionStream(compressed, 3))
        {
            encoder.Write(data);
        }

        // Frame header descriptor: no Frame_Content_Size and no Single_Segment flag, so the size is not stated.
        (compressed.ToArray()[4] & 0xE0).Should().Be(0, "the frame does not state its size");
        using var output = new ByteBuffer();
        AvroCodec.Zstandard.Decompress(compressed.ToArray(), output);
        output.WrittenSpan.ToArray().Should().Equal(data);
    }

    [Fact]
    public async Task A_corrupt_zstandard_block_is_a_file_error()
    {
        var (bytes, blockOffsets) = await WriteBlocks("zstandard", blocks: 2);
        // Block 0's data starts after its record count and size varints; the frame's magic number is there.
        var magic = bytes.AsSpan((int)blockOffsets[0]).IndexOf(new byte[] { 0x28, 0xB5, 0x2F, 0xFD });
        bytes[(int)blockOffsets[0] + magic] ^= 0xFF;
        await using var reader = await AvroFileReader.OpenAsync(new MemoryStream(bytes));
        var act = async () => await reader.ReadAllAsync().ToListAsync();
        (await act.Should().ThrowAsync<AvroFileException>()).Which.Reason.Should().Contain("ZSTD");
    }

    [Fact]
    public async Task A_corrupt_snappy_block_fails_its_crc()
    {
        var (bytes, blockOffsets) = await WriteBlocks("snappy", blocks: 2);
        var crcAt = (int)blockOffsets[2 - 1] - 16 - 1; // the last byte of block 0's CRC, before its sync marker
        bytes[crcAt] ^= 0x01;
        await using var reader = await AvroFileReader.OpenAsync(new MemoryStream(bytes));
        var act = async () => await reader.ReadAllAsync().ToListAsync();
        (await act.Should().ThrowAsync<AvroFileException>()).Which.Reason.Should().Contain("CRC-32");
    }

    [Fact]
    public async Task A_corrupt_record_names_its_offset_in_the_file()
    {
        var schema = new UnionSchema([PrimitiveSchema.Null, PrimitiveSchema.Long]);
        var stream = new MemoryStream();
        await using (var writer = AvroFileWriter.Create(stream, schema, new AvroFileWriterOptions { LeaveOpen = true }))
        {
            await writer.WriteAsync(1L);
            await writer.WriteAsync(2L);
        }

        var bytes = stream.ToArray();
        var secondRecord = bytes.Length - 16 - 2; // [branch, value] of the last record, before the sync marker
        bytes[secondRecord] = 0x08; // branch index 4
        await using var reader = await AvroFileReader.OpenAsync(new MemoryStream(bytes));
        var act = async () => await reader.ReadAllAsync().ToListAsync();
        var error = (await act.Should().ThrowAsync<AvroFileException>()).Which;
        error.BlockIndex.Should().Be(0);
        error.Reason.Should().Contain($"record 1 of the block is corrupt at offset {secondRecord} in the file");
    }

    [Fact]
    public async Task Not_an_avro_file_is_a_header_error()
    {
        var act = async () => await AvroFileReader.OpenAsync(new MemoryStream("PAR1xxxxxxxx"u8.ToArray()), fileName: "x.parquet");
        (await act.Should().ThrowAsync<AvroFileException>()).Which.Should().Match<AvroFileException>(e =>
            e.BlockIndex == -1 && e.Message.StartsWith("x.parquet: header at byte offset 0: not an Avro object container file"));
    }

    [Fact]
    public async Task A_record_that_does_not_fit_leaves_nothing_in_the_file()
    {
        var stream = new MemoryStream();
        var schema = new RecordSchema(new SchemaName("R", null), [new Field("a", PrimitiveSchema.Long), new Field("b", PrimitiveSchema.String)]);
        await using (var writer = AvroFileWriter.Create(stream, schema, new AvroFileWriterOptions { LeaveOpen = true }))
        {
            await writer.WriteAsync(new GenericRecord(schema, [1L, "ok"]));
            var act = async () => await writer.WriteAsync(new GenericRecord(schema, [2L, 3]));
            await act.Should().ThrowAsync<AvroValueException>();
            await writer.WriteAsync(new GenericRecord(schema, [4L, "ok"]));
        }

        stream.Position = 0;
        await using var reader = await AvroFileReader.OpenAsync(stream);
        (await reader.ReadAllAsync().ToListAsync()).Should().Equal(
            new GenericRecord(schema, [1L, "ok"]), new GenericRecord(schema, [4L, "ok"]));
    }

    /// <summary>A file of longs 0.. with 10 records per block, and the offset of each block (plus the end).</summary>
    private static async Task<(byte[] Bytes, List<long> BlockOffsets)> WriteBlocks(string codec, int blocks)
    {
        var stream = new MemoryStream();
        await using (var writer = AvroFileWriter.Create(stream, PrimitiveSchema.Long,
                         new AvroFileWriterOptions { Codec = AvroCodec.FromName(codec)!, LeaveOpen = true }))
        {
            for (var i = 0; i < blocks * 10; i++)
            {
                await writer.WriteAsync((long)i);
                if (i % 10 == 9)
                {
                    await writer.FlushAsync();
                }
            }
        }

        var bytes = stream.ToArray();
        await using var reader = await AvroFileReader.OpenAsync(new MemoryStream(bytes));
        var offsets = new List<long>();
        while (await reader.ReadBlockAsync() is { } block)
        {
            offsets.Add(block.Offset);
        }

        offsets.Add(bytes.Length);
        return (bytes, offsets);
    }

    [Fact]
    public async Task A_corrupt_block_size_in_a_short_file_is_truncation_not_a_huge_allocation()
    {
        var stream = new MemoryStream();
        await using (var writer = AvroFileWriter.Create(stream, PrimitiveSchema.Long, new AvroFileWriterOptions { LeaveOpen = true }))
        {
            await writer.WriteAsync(1L);
        }

        var bytes = stream.ToArray();
        stream.Position = 0;
        long headerLength;
        await using (var probe = await AvroFileReader.OpenAsync(new MemoryStream(bytes)))
        {
            headerLength = probe.Header.Length;
        }

        // count 1, size 2^30 (zig-zag varint 80 80 80 80 08), then the original tail.
        var corrupt = bytes[..(int)headerLength].Concat(new byte[] { 0x02, 0x80, 0x80, 0x80, 0x80, 0x08 }).Concat(bytes[((int)headerLength + 2)..]).ToArray();
        await using var reader = await AvroFileReader.OpenAsync(new MemoryStream(corrupt));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var act = async () => await reader.ReadBlockAsync();
        (await act.Should().ThrowAsync<AvroFileException>()).Which.Should().Match<AvroFileException>(e =>
            e.BlockIndex == 0 && e.Offset == headerLength && e.Reason.Contains("truncated"));
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(16 << 20);
    }
}
