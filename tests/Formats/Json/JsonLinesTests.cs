using System.Text;
using Streams.Formats.Json;
using Streams.Formats.Model;
using Streams.Formats.Tests.Avro;

namespace Streams.Formats.Tests.Json;

public sealed class JsonLinesTests
{
    private static readonly RecordSchema Order = new(new SchemaName("Order", "shop"), [
        new Field("id", PrimitiveSchema.Long),
        new Field("day", new PrimitiveSchema(SchemaType.Int, LogicalType.Date)),
        new Field("at", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros)),
        new Field("local", new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMillis)),
        new Field("time", new PrimitiveSchema(SchemaType.Int, LogicalType.TimeMillis)),
        new Field("price", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(12, 2))),
        new Field("raw", PrimitiveSchema.Bytes),
        new Field("ref", new PrimitiveSchema(SchemaType.String, LogicalType.Uuid)),
        new Field("note", UnionSchema.Nullable(PrimitiveSchema.String)),
        new Field("ratio", PrimitiveSchema.Double),
        new Field("nanos", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampNanos)),
    ]);

    private static GenericRecord Sample() => new(Order, [
        42L,
        new DateOnly(2024, 2, 29),
        new DateTime(2024, 2, 29, 13, 14, 15, DateTimeKind.Utc).AddTicks(1234560),
        new DateTime(2024, 3, 1, 1, 2, 3, 4, DateTimeKind.Unspecified),
        new TimeOnly(23, 59, 58, 7),
        DecimalValue.Parse("-1234.50"),
        new byte[] { 0, 1, 2, 250 },
        Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"),
        null,
        double.NaN,
        1_709_212_455_123_456_789L,
    ]);

    [Fact]
    public void Records_render_as_plain_json_with_iso_dates_decimal_strings_and_base64()
    {
        JsonLinesWriter.ToJson(Order, Sample()).Should().Be(
            """{"id":42,"day":"2024-02-29","at":"2024-02-29T13:14:15.123456Z","local":"2024-03-01T01:02:03.004","time":"23:59:58.007","price":"-1234.50","raw":"AAEC+g==","ref":"00112233-4455-6677-8899-aabbccddeeff","note":null,"ratio":"NaN","nanos":"2024-02-29T13:14:15.123456789Z"}""");
    }

    [Fact]
    public async Task Every_type_round_trips_through_json_lines()
    {
        var records = Enumerable.Range(0, 20).Select(AvroTestData.Sample).Append(Sample()).ToList();
        foreach (var (schema, batch) in new[] { (AvroTestData.AllTypes, records.Take(20).ToList()), (Order, records.Skip(20).ToList()) })
        {
            var stream = new MemoryStream();
            await using (var writer = new JsonLinesWriter(stream, schema, leaveOpen: true))
            {
                foreach (var record in batch)
                {
                    await writer.WriteAsync(record);
                }
            }

            stream.Position = 0;
            await using var reader = new JsonLinesReader(stream, schema);
            var read = (await reader.ReadBatchAsync())!;
            read.Should().HaveCount(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                read[i].Should().Be(batch[i], $"line {i + 1}: {read[i]} should equal {batch[i]}");
            }

            (await reader.ReadBatchAsync()).Should().BeNull();
        }
    }

    [Fact]
    public async Task A_bad_line_is_reported_with_its_number_and_field_after_the_good_lines()
    {
        var schema = new RecordSchema(new SchemaName("R", null), [
            new Field("a", PrimitiveSchema.Int),
            new Field("tags", new ArraySchema(new PrimitiveSchema(SchemaType.Int, LogicalType.Date))),
        ]);
        var text = "{\"a\":1,\"tags\":[]}\n\n{\"a\":2,\"tags\":[\"2020-01-01\"]}\n{\"a\":3,\"tags\":[\"2020-02-30\"]}\n{\"a\":4,\"tags\":[]}\n";
        await using var reader = new JsonLinesReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), schema, "in.jsonl");
        var first = await reader.ReadBatchAsync();
        first.Should().HaveCount(2);
        var act = async () => await reader.ReadBatchAsync();
        var error = (await act.Should().ThrowAsync<JsonLinesException>()).Which;
        error.Line.Should().Be(4);
        error.Path.Should().Be("tags[]");
        error.Message.Should().StartWith("in.jsonl: line 4, field tags[]: \"2020-02-30\" is not a value of int (date)");
        // The bad line spoils only itself: reading goes on with the next one.
        (await reader.ReadBatchAsync()).Should().ContainSingle().Which.Should().Be(new GenericRecord(schema, [4, new List<object?>()]));
        (await reader.ReadBatchAsync()).Should().BeNull();
    }

    [Fact]
    public async Task Missing_fields_take_defaults_or_null_and_a_missing_required_field_is_an_error()
    {
        var schema = new RecordSchema(new SchemaName("R", null), [
            new Field("a", PrimitiveSchema.Int),
            new Field("b", PrimitiveSchema.String, hasDefault: true, defaultValue: System.Text.Json.Nodes.JsonValue.Create("dflt")),
            new Field("c", UnionSchema.Nullable(PrimitiveSchema.Long)),
        ]);
        await using var reader = new JsonLinesReader(new MemoryStream("{\"a\":1,\"extra\":true}\n{\"b\":\"x\"}\n"u8.ToArray()), schema);
        (await reader.ReadBatchAsync()).Should().Equal(new GenericRecord(schema, [1, "dflt", null]));
        var act = async () => await reader.ReadBatchAsync();
        (await act.Should().ThrowAsync<JsonLinesException>()).Which.Should().Match<JsonLinesException>(e =>
            e.Line == 2 && e.Path == "a" && e.Reason.Contains("required field 'a'"));
    }

    [Fact]
    public async Task Invalid_json_names_the_line()
    {
        await using var reader = new JsonLinesReader(new MemoryStream("{\"a\":1}\n{\"a\":\n"u8.ToArray()),
            new RecordSchema(new SchemaName("R", null), [new Field("a", PrimitiveSchema.Int)]), "x.jsonl");
        var act = async () => { while (await reader.ReadBatchAsync() is not null) { } };
        (await act.Should().ThrowAsync<JsonLinesException>()).Which.Message.Should().StartWith("x.jsonl: line 2: not valid JSON");
    }

    [Fact]
    public void Timestamps_with_offsets_are_converted_to_utc()
    {
        var schema = new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMillis);
        var parse = JsonValueParser.Compile(schema);
        using var doc = System.Text.Json.JsonDocument.Parse("\"2024-01-01T02:00:00+02:00\"");
        parse(doc.RootElement).Should().Be(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    private static readonly RecordSchema Pair = new(new SchemaName("P", null), [
        new Field("a", PrimitiveSchema.Int),
        new Field("s", PrimitiveSchema.String),
    ]);

    [Fact]
    public async Task Line_breaks_byte_order_marks_field_order_and_long_lines_are_read_through_any_read_size()
    {
        var longText = new string('x', 200_000);
        var bytes = "\uFEFF"u8.ToArray()
            .Concat(Encoding.UTF8.GetBytes("{\"a\":1,\"s\":\"é\"}\r\n  \r\n{\"s\":\"" + longText + "\",\"a\":2}\n{\"a\":3,\"s\":\"last\"}"))
            .ToArray();
        foreach (var chunk in new[] { 1, 7, 64 * 1024, int.MaxValue })
        {
            await using var reader = new JsonLinesReader(new ChunkedStream(bytes, chunk), Pair);
            var read = new List<object?>();
            while (await reader.ReadBatchAsync() is { } batch)
            {
                read.AddRange(batch);
            }

            read.Should().Equal([new GenericRecord(Pair, [1, "é"]), new GenericRecord(Pair, [2, longText]), new GenericRecord(Pair, [3, "last"])],
                $"reads of {chunk} bytes give the same records");
            reader.LinesRead.Should().Be(4);
        }
    }

    [Fact]
    public async Task A_line_that_is_not_utf8_spoils_only_itself()
    {
        var bytes = "{\"a\":1,\"s\":\"x\"}\n{\"a\":2,\"s\":\""u8.ToArray().Concat(new byte[] { 0xC3, 0x28 })
            .Concat("\"}\n{\"a\":3,\"s\":\"z\"}\n"u8.ToArray()).ToArray();
        var bad = new List<RecordFileException>();
        await using var reader = new JsonLinesReader(new MemoryStream(bytes), Pair, "u.jsonl", onBadRecord: bad.Add);

        (await reader.ReadBatchAsync()).Should().Equal(new GenericRecord(Pair, [1, "x"]), new GenericRecord(Pair, [3, "z"]));
        bad.Should().ContainSingle().Which.Message.Should().Be("u.jsonl: line 2: the line is not valid UTF-8");
    }

    /// <summary>A stream that returns at most <c>chunk</c> bytes per read, as a pipe or a socket may.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
