using Parquet;
using Parquet.Serialization;
using Streams.Formats.Model;
using Streams.Formats.Parquet.Metadata;
using StreamsReader = Streams.Formats.Parquet.ParquetReader;
using StreamsWriter = Streams.Formats.Parquet.ParquetWriter;
using StreamsWriterOptions = Streams.Formats.Parquet.ParquetWriterOptions;
using StreamsParquetException = Streams.Formats.Parquet.ParquetException;

namespace Streams.Formats.Tests.Parquet;

/// <summary>
/// Interop with Parquet.Net 6.1 (the managed library C# users run): each reads what the other writes, through
/// Parquet.Net's class serializer, and each known Parquet.Net limitation is asserted as what it is, so an
/// upgrade that fixes one fails here and is noticed.
/// </summary>
public sealed class ParquetNetInteropTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("streams-parquetnet-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The row as a C# user declares it for Parquet.Net.</summary>
    public sealed class Row
    {
        public long Id { get; set; }
        public bool Flag { get; set; }
        public int Count { get; set; }
        public long? Maybe { get; set; }
        public float Ratio { get; set; }
        public double? Score { get; set; }
        public string? Name { get; set; }
        public byte[] Raw { get; set; } = [];
        public DateOnly Day { get; set; }
        public DateTime At { get; set; }
        public decimal Price { get; set; }
        public Guid Key { get; set; }
        public List<string> Tags { get; set; } = [];
        public Dictionary<string, long> Attrs { get; set; } = [];
        public Address? Home { get; set; }
        public List<Line> Lines { get; set; } = [];
    }

    public sealed class Address
    {
        public string? Street { get; set; }
        public int? Zip { get; set; }
    }

    public sealed class Line
    {
        public string? Sku { get; set; }
        public int Qty { get; set; }
    }

    private static readonly RecordSchema AddressSchema = new(new SchemaName("Address", "net"),
        [new Field("Street", UnionSchema.Nullable(PrimitiveSchema.String)), new Field("Zip", UnionSchema.Nullable(PrimitiveSchema.Int))]);

    private static readonly RecordSchema LineSchema = new(new SchemaName("Line", "net"),
        [new Field("Sku", UnionSchema.Nullable(PrimitiveSchema.String)), new Field("Qty", PrimitiveSchema.Int)]);

    /// <summary>The same row as a Streams schema: every type both sides have.</summary>
    private static readonly RecordSchema RowSchema = new(new SchemaName("Row", "net"),
    [
        new Field("Id", PrimitiveSchema.Long),
        new Field("Flag", PrimitiveSchema.Boolean),
        new Field("Count", PrimitiveSchema.Int),
        new Field("Maybe", UnionSchema.Nullable(PrimitiveSchema.Long)),
        new Field("Ratio", PrimitiveSchema.Float),
        new Field("Score", UnionSchema.Nullable(PrimitiveSchema.Double)),
        new Field("Name", UnionSchema.Nullable(PrimitiveSchema.String)),
        new Field("Raw", UnionSchema.Nullable(PrimitiveSchema.Bytes)),
        new Field("Day", new PrimitiveSchema(SchemaType.Int, LogicalType.Date)),
        new Field("At", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros)),
        new Field("Price", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(18, 4))),
        new Field("Key", new PrimitiveSchema(SchemaType.String, LogicalType.Uuid)),
        // Parquet.Net declares lists, maps and the elements of reference type optional, and reads only files that agree.
        new Field("Tags", UnionSchema.Nullable(new ArraySchema(UnionSchema.Nullable(PrimitiveSchema.String)))),
        new Field("Attrs", UnionSchema.Nullable(new MapSchema(PrimitiveSchema.Long))),
        new Field("Home", UnionSchema.Nullable(AddressSchema)),
        new Field("Lines", UnionSchema.Nullable(new ArraySchema(UnionSchema.Nullable(LineSchema)))),
    ]);

    /// <summary>Rows without the values Parquet.Net cannot round-trip (empty lists and maps: see the limitation tests).</summary>
    private static List<Row> Rows(int count)
    {
        var random = new Random(count);
        return Enumerable.Range(0, count).Select(i => new Row
        {
            Id = i,
            Flag = i % 3 == 0,
            Count = random.Next(int.MinValue, int.MaxValue),
            Maybe = i % 5 == 0 ? null : random.NextInt64(),
            Ratio = (float)random.NextDouble(),
            Score = i % 7 == 0 ? null : random.NextDouble() * 1e6,
            Name = i % 9 == 0 ? null : $"name-{i % 50}-äö€",
            Raw = Enumerable.Range(0, 1 + i % 5).Select(b => (byte)(b * i)).ToArray(),
            Day = DateOnly.FromDayNumber(700_000 + i * 13),
            At = DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(random.NextInt64(-2_000_000_000_000_000L, 4_000_000_000_000_000L) * 10), DateTimeKind.Utc),
            Price = new decimal(random.NextInt64(-99_999_999_999L, 99_999_999_999L)) / 10_000m,
            Key = new Guid(Enumerable.Range(0, 16).Select(b => (byte)random.Next(256)).ToArray()),
            Tags = Enumerable.Range(0, 1 + i % 3).Select(t => $"t{t}").ToList(),
            Attrs = Enumerable.Range(0, 1 + i % 2).ToDictionary(k => $"k{k}", k => (long)k * i),
            Home = i % 4 == 0 ? null : new Address { Street = $"street {i}", Zip = i % 8 == 1 ? null : 10_000 + i },
            Lines = Enumerable.Range(0, 1 + i % 3).Select(l => new Line { Sku = $"SKU-{l}", Qty = l + i }).ToList(),
        }).ToList();
    }

    /// <summary>
    /// The row as Streams holds it. Parquet.Net writes DateTime as INT96, which Streams reads as nanoseconds
    /// since the epoch (a long, as parquet-avro does), and decimal as DECIMAL(38, 18): <paramref name="fromNet"/>
    /// gives the expectation for its files.
    /// </summary>
    private static GenericRecord ToRecord(Row r, bool fromNet) => new(RowSchema,
    [
        r.Id, r.Flag, r.Count, r.Maybe, r.Ratio, r.Score, r.Name, r.Raw, r.Day,
        fromNet ? (r.At - DateTime.UnixEpoch).Ticks * 100 : r.At, DecimalValue.FromDecimal(r.Price).Rescale(fromNet ? 18 : 4), r.Key,
        r.Tags.Select(t => (object?)t).ToList(),
        r.Attrs.ToDictionary(e => e.Key, e => (object?)e.Value),
        r.Home is null ? null : new GenericRecord(AddressSchema, [r.Home.Street, r.Home.Zip]),
        r.Lines.Select(l => (object?)new GenericRecord(LineSchema, [l.Sku, l.Qty])).ToList(),
    ]);

    private static void AssertRows(IReadOnlyList<Row> expected, IReadOnlyList<Row> actual)
    {
        actual.Should().HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            actual[i].Should().BeEquivalentTo(expected[i], o => o.WithStrictOrdering()
                .Using<DateTime>(c => c.Subject.Ticks.Should().Be(c.Expectation.Ticks)).WhenTypeIs<DateTime>(), $"row {i}");
        }
    }

    private static ParquetOptions NetOptions => new() { UseDateOnlyTypeForDates = true };

    [Theory]
    [InlineData(CompressionCodec.Snappy, 1)]
    [InlineData(CompressionCodec.Zstd, 1)]
    [InlineData(CompressionCodec.Gzip, 1)]
    public async Task Parquet_Net_reads_every_value_Streams_writes(CompressionCodec codec, int pageVersion)
    {
        var rows = Rows(1500);
        var path = Path.Combine(_directory, $"streams-{codec}-{pageVersion}.parquet");
        await using (var writer = new StreamsWriter(File.Create(path), RowSchema,
                         new StreamsWriterOptions { Compression = codec, DataPageVersion = pageVersion, RowGroupRows = 600, PageSize = 4096 }))
        {
            await writer.WriteAsync(rows.Select(r => ToRecord(r, fromNet: false)));
        }

        var read = await ParquetSerializer.DeserializeAsync<Row>(path, NetOptions);
        AssertRows(rows, read.Data.ToList());
    }

    [Theory]
    [InlineData(CompressionMethod.Snappy, CompressionCodec.Snappy)]
    [InlineData(CompressionMethod.Zstd, CompressionCodec.Zstd)]
    [InlineData(CompressionMethod.Lz4Raw, CompressionCodec.Lz4Raw)]
    [InlineData(CompressionMethod.Gzip, CompressionCodec.Gzip)]
    public async Task Streams_reads_every_value_Parquet_Net_writes(CompressionMethod method, CompressionCodec codec)
    {
        var rows = Rows(1500);
        var path = Path.Combine(_directory, $"net-{method}.parquet");
        await ParquetSerializer.SerializeAsync(rows, path, new ParquetOptions { CompressionMethod = method, RowGroupSize = 500, UseDateOnlyTypeForDates = true });

        await using var reader = await StreamsReader.OpenAsync(path);
        reader.Metadata.RowGroups.Should().HaveCount(3);
        reader.Metadata.RowGroups.SelectMany(g => g.Columns).Select(c => c.MetaData!.Codec).Distinct().Should().Equal(codec);
        var read = await reader.ReadAsync().ToListAsync();
        reader.ParquetSchema.Columns.Single(c => c.Path[0] == "At").PhysicalType.Should().Be(PhysicalType.Int96);
        RecordAssert.Equal(rows.Select(r => ToRecord(r, fromNet: true)).ToList(), read, compareNames: false);
    }

    public sealed class TimeRow
    {
        public int Id { get; set; }
        public TimeOnly At { get; set; }
    }

    /// <summary>
    /// Limitation of Parquet.Net 6.1: it writes TimeOnly's 100 ns ticks under TIME(MICROS), ten times the
    /// value. Streams refuses such a file with a ParquetException naming the file, column and row group, and
    /// never a raw ArgumentOutOfRangeException.
    /// </summary>
    [Fact]
    public async Task Parquet_Net_writes_TimeOnly_ticks_as_micros_and_Streams_names_the_bad_value()
    {
        var path = Path.Combine(_directory, "net-time.parquet");
        var rows = new[] { new TimeRow { Id = 1, At = new TimeOnly(0, 0, 0, 1) }, new TimeRow { Id = 2, At = new TimeOnly(23, 0) } };
        await ParquetSerializer.SerializeAsync(rows, path);

        await using var reader = await StreamsReader.OpenAsync(path);
        var column = reader.ParquetSchema.Columns.Single(c => c.Path[0] == "At");
        column.Element.LogicalType.Should().Be(new LogicalTypeAnnotation(LogicalTypeKind.Time, IsAdjustedToUtc: true, Unit: Streams.Formats.Parquet.Metadata.TimeUnit.Micros));
        var index = reader.ParquetSchema.Columns.ToList().IndexOf(column);
        var raw = (await reader.ReadColumnsAsync(0, [index]))[index]!;
        raw.Int64s[0].Should().Be(new TimeOnly(0, 0, 0, 1).Ticks, "the stored value is ticks, not microseconds");

        var act = async () => await reader.ReadAsync().ToListAsync();
        var error = (await act.Should().ThrowAsync<StreamsParquetException>()).Which;
        error.FileName.Should().Be(path);
        error.Column.Should().Be("At");
        error.RowGroup.Should().Be(0);
        error.Message.Should().Contain(path).And.Contain("column 'At'").And.Contain("row group 0").And.Contain("TIME(MICROS)")
            .And.Contain("Row 1");
    }

    private async Task<string> WriteStreamsAsync(string name, RecordSchema schema, IEnumerable<GenericRecord> records, int pageVersion = 1)
    {
        var path = Path.Combine(_directory, name);
        await using var writer = new StreamsWriter(File.Create(path), schema, new StreamsWriterOptions { DataPageVersion = pageVersion });
        await writer.WriteAsync(records);
        return path;
    }

    public sealed class TagsRow
    {
        public long Id { get; set; }
        public List<string?>? Tags { get; set; }
    }

    private static readonly RecordSchema TagsSchema = new(new SchemaName("TagsRow", "net"),
    [
        new Field("Id", PrimitiveSchema.Long),
        new Field("Tags", UnionSchema.Nullable(new ArraySchema(UnionSchema.Nullable(PrimitiveSchema.String)))),
    ]);

    /// <summary>Limitation of Parquet.Net 6.1: it cannot read data page v2 of a repeated column (Streams, DuckDB and Arrow can).</summary>
    [Fact]
    public async Task Parquet_Net_fails_on_v2_pages_of_repeated_columns()
    {
        var records = Enumerable.Range(0, 100).Select(i => new GenericRecord(TagsSchema, [(long)i, new List<object?> { "a", $"b{i}" }])).ToList();
        var v1 = await WriteStreamsAsync("tags-v1.parquet", TagsSchema, records);
        (await ParquetSerializer.DeserializeAsync<TagsRow>(v1)).Data.Select(r => r.Tags![1]).Should().Equal(records.Select(r => $"b{r["Id"]}"));

        var v2 = await WriteStreamsAsync("tags-v2.parquet", TagsSchema, records, pageVersion: 2);
        await using (var streams = await StreamsReader.OpenAsync(v2))
        {
            RecordAssert.Equal(records, await streams.ReadAsync().ToListAsync());
        }

        var act = async () => await ParquetSerializer.DeserializeAsync<TagsRow>(v2);
        await act.Should().ThrowAsync<Exception>();
    }

    /// <summary>Limitations of Parquet.Net 6.1: an empty list reads back as null, and null list elements are dropped.</summary>
    [Fact]
    public async Task Parquet_Net_reads_empty_lists_as_null_and_drops_null_elements()
    {
        var records = new[]
        {
            new GenericRecord(TagsSchema, [0L, new List<object?>()]),
            new GenericRecord(TagsSchema, [1L, new List<object?> { "a", null, "c" }]),
            new GenericRecord(TagsSchema, [2L, null]),
        };
        var path = await WriteStreamsAsync("tags-empty.parquet", TagsSchema, records);
        await using (var streams = await StreamsReader.OpenAsync(path))
        {
            RecordAssert.Equal(records, await streams.ReadAsync().ToListAsync());
        }

        var net = (await ParquetSerializer.DeserializeAsync<TagsRow>(path)).Data;
        net[0].Tags.Should().BeNull("Parquet.Net reads an empty list as null");
        net[1].Tags.Should().Equal("a", "c");
        net[2].Tags.Should().BeNull();
    }

    public sealed class NanosRow
    {
        public DateTime At { get; set; }
    }

    /// <summary>Limitation of Parquet.Net 6.1: TIMESTAMP(NANOS) becomes a DateTime, which keeps 100 ns, so the last two digits are lost.</summary>
    [Fact]
    public async Task Parquet_Net_truncates_nanosecond_timestamps_to_ticks()
    {
        var schema = new RecordSchema(new SchemaName("NanosRow", "net"), [new Field("At", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampNanos))]);
        const long nanos = 1_700_000_000_123_456_789L;
        var path = await WriteStreamsAsync("nanos.parquet", schema, [new GenericRecord(schema, [nanos])]);
        await using (var streams = await StreamsReader.OpenAsync(path))
        {
            (await streams.ReadAsync().SingleAsync())["At"].Should().Be(nanos);
        }

        var net = (await ParquetSerializer.DeserializeAsync<NanosRow>(path)).Data.Single();
        net.At.Ticks.Should().Be(DateTime.UnixEpoch.Ticks + nanos / 100, "the value is kept to 100 ns");
        ((net.At.Ticks - DateTime.UnixEpoch.Ticks) * 100).Should().NotBe(nanos);
    }
}
