using Streams.Formats.Model;
using Streams.Formats.Parquet;
using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Tests.Parquet;

public sealed class ParquetRoundTripTests
{
    public static TheoryData<CompressionCodec, int, bool> Variants() => new()
    {
        { CompressionCodec.Uncompressed, 1, true },
        { CompressionCodec.Snappy, 1, true },
        { CompressionCodec.Gzip, 1, false },
        { CompressionCodec.Snappy, 2, true },
        { CompressionCodec.Gzip, 2, true },
        { CompressionCodec.Uncompressed, 2, false },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Full_schema_round_trips_through_streams(CompressionCodec codec, int pageVersion, bool dictionary)
    {
        var records = ParquetTestData.Full(1500);
        var options = new ParquetWriterOptions
        {
            Compression = codec, DataPageVersion = pageVersion, EnableDictionary = dictionary,
            PageSize = 4096, RowGroupRows = 600,
        };
        using var stream = new MemoryStream();
        await using (var writer = new ParquetWriter(stream, ParquetTestData.FullSchema, options, leaveOpen: true))
        {
            await writer.WriteAsync(records);
        }

        stream.Position = 0;
        await using var reader = await ParquetReader.OpenAsync(stream, "memory.parquet", leaveOpen: true);
        reader.Metadata.RowGroups.Should().HaveCount(3);
        var read = await reader.ReadAsync(new ParquetReadOptions { Schema = ParquetTestData.FullSchema }).ToListAsync();
        RecordAssert.Equal(records, read);
    }

    [Fact]
    public async Task Derived_schema_keeps_logical_types()
    {
        using var stream = new MemoryStream();
        await using (var writer = new ParquetWriter(stream, ParquetTestData.FullSchema, new ParquetWriterOptions { StoreAvroSchema = false }, leaveOpen: true))
        {
            await writer.WriteAsync(ParquetTestData.Full(10));
        }

        stream.Position = 0;
        await using var reader = await ParquetReader.OpenAsync(stream, leaveOpen: true);
        var schema = reader.Schema;
        schema.FullName.Should().Be("test.Everything");
        string Logical(string field) => (schema.GetField(field)!.Schema.NonNullBranch ?? schema.GetField(field)!.Schema).LogicalType!.Name;
        Logical("u").Should().Be(LogicalType.UuidName);
        Logical("dt").Should().Be(LogicalType.DateName);
        Logical("tm").Should().Be(LogicalType.TimeMillisName);
        Logical("tu").Should().Be(LogicalType.TimeMicrosName);
        Logical("tsm").Should().Be(LogicalType.TimestampMillisName);
        Logical("tsu").Should().Be(LogicalType.TimestampMicrosName);
        Logical("tsn").Should().Be(LogicalType.TimestampNanosName);
        Logical("ltm").Should().Be(LogicalType.LocalTimestampMillisName);
        Logical("ltu").Should().Be(LogicalType.LocalTimestampMicrosName);
        Logical("dec").Should().Be(LogicalType.DecimalName);
        Logical("decf").Should().Be(LogicalType.DecimalName);
        Logical("dur").Should().Be(LogicalType.DurationName);
        schema.GetField("tags")!.Schema.Should().BeOfType<ArraySchema>();
        schema.GetField("attrs")!.Schema.Should().BeOfType<MapSchema>();
        schema.GetField("choice")!.Schema.Should().BeOfType<UnionSchema>().Which.Branches.Should().HaveCount(3);
        schema.GetField("addr")!.Schema.NonNullBranch.Should().BeOfType<RecordSchema>();

        // Values read with the derived schema equal the originals field by field (names of nested records differ).
        var first = await reader.ReadAsync().FirstAsync();
        first["dec"].Should().Be(ParquetTestData.Full(10)[0]["dec"]);
    }

    [Fact]
    public async Task Projection_reads_only_the_requested_columns()
    {
        var records = ParquetTestData.Flat(300);
        using var stream = new MemoryStream();
        await using (var writer = new ParquetWriter(stream, ParquetTestData.FlatSchema, leaveOpen: true))
        {
            await writer.WriteAsync(records);
        }

        stream.Position = 0;
        await using var reader = await ParquetReader.OpenAsync(stream, leaveOpen: true);
        var read = await reader.ReadAsync(new ParquetReadOptions { Columns = ["s", "id"] }).ToListAsync();
        read.Should().HaveCount(300);
        read[7].Schema.Fields.Select(f => f.Name).Should().Equal("s", "id");
        read[7]["s"].Should().Be(records[7]["s"]);
        read[7]["id"].Should().Be(7L);
    }

    [Fact]
    public async Task Rejected_record_leaves_the_file_consistent()
    {
        using var stream = new MemoryStream();
        var good = ParquetTestData.Flat(3);
        await using (var writer = new ParquetWriter(stream, ParquetTestData.FlatSchema, leaveOpen: true))
        {
            await writer.WriteAsync(good[0]);
            var bad = new GenericRecord(ParquetTestData.FlatSchema, [1L, true, 1, 2L, 1f, 2d, "x", null]);
            var act = async () => await writer.WriteAsync(bad);
            (await act.Should().ThrowAsync<ParquetException>()).Which.Column.Should().Be("test.Flat.low");
            await writer.WriteAsync(good[1]);
        }

        stream.Position = 0;
        await using var reader = await ParquetReader.OpenAsync(stream, leaveOpen: true);
        RecordAssert.Equal([good[0], good[1]], await reader.ReadAsync().ToListAsync());
    }

    [Fact]
    public async Task Row_groups_flush_at_the_configured_size()
    {
        using var stream = new MemoryStream();
        await using (var writer = new ParquetWriter(stream, ParquetTestData.FlatSchema,
                         new ParquetWriterOptions { RowGroupSize = 64 * 1024 }, leaveOpen: true))
        {
            await writer.WriteAsync(ParquetTestData.Flat(5000));
        }

        stream.Position = 0;
        await using var reader = await ParquetReader.OpenAsync(stream, leaveOpen: true);
        reader.Metadata.RowGroups.Count.Should().BeGreaterThan(2);
        reader.RowCount.Should().Be(5000);
        (await reader.ReadAsync().CountAsync()).Should().Be(5000);
    }

    [Fact]
    public async Task Dictionary_falls_back_to_plain_past_its_limit()
    {
        using var stream = new MemoryStream();
        var records = ParquetTestData.Flat(20_000);
        await using (var writer = new ParquetWriter(stream, ParquetTestData.FlatSchema,
                         new ParquetWriterOptions { DictionaryPageSizeLimit = 4096, PageSize = 16 * 1024 }, leaveOpen: true))
        {
            await writer.WriteAsync(records);
        }

        stream.Position = 0;
        await using var reader = await ParquetReader.OpenAsync(stream, leaveOpen: true);
        var chunks = reader.Metadata.RowGroups[0].Columns;
        var byName = reader.ParquetSchema.Columns.Select((c, i) => (c.Name, Meta: chunks[i].MetaData!)).ToDictionary(x => x.Name, x => x.Meta);
        byName["low"].Encodings.Should().Contain(Streams.Formats.Parquet.Metadata.ParquetEncoding.RleDictionary);
        byName["low"].DictionaryPageOffset.Should().NotBeNull();
        byName["id"].Encodings.Should().NotContain(Streams.Formats.Parquet.Metadata.ParquetEncoding.RleDictionary);
        byName["id"].DictionaryPageOffset.Should().BeNull();
        byName["id"].Statistics!.MinValue.Should().Equal(BitConverter.GetBytes(0L));
        byName["id"].Statistics!.MaxValue.Should().Equal(BitConverter.GetBytes(19_999L));
        byName["s"].Statistics!.NullCount.Should().Be(records.Count(r => r["s"] is null));
        RecordAssert.Equal(records, await reader.ReadAsync().ToListAsync());
    }

    [Fact]
    public async Task Reading_as_a_schema_that_does_not_fit_names_the_field()
    {
        using var stream = new MemoryStream();
        await using (var writer = new ParquetWriter(stream, ParquetTestData.FlatSchema, leaveOpen: true))
        {
            await writer.WriteAsync(ParquetTestData.Flat(5));
        }

        stream.Position = 0;
        await using var reader = await ParquetReader.OpenAsync(stream, "flat.parquet", leaveOpen: true);
        var wrong = new RecordSchema(new SchemaName("Flat", "test"), [new Field("s", PrimitiveSchema.Int)]);
        var act = async () => await reader.ReadAsync(new ParquetReadOptions { Schema = wrong }).ToListAsync();
        var error = (await act.Should().ThrowAsync<ParquetException>()).Which;
        error.FileName.Should().Be("flat.parquet");
        error.Message.Should().Contain("test.Flat.s");
    }
}
