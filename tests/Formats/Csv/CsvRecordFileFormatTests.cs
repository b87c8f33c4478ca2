using Streams.Formats.Csv;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Csv;

public sealed class CsvRecordFileFormatTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "csvfmt-" + Guid.NewGuid().ToString("N")[..8]);

    public CsvRecordFileFormatTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly RecordSchema Schema = new(new SchemaName("row", null),
    [
        new Field("id", PrimitiveSchema.Long),
        new Field("text", UnionSchema.Nullable(PrimitiveSchema.String)),
        new Field("price", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(9, 3))),
        new Field("day", new PrimitiveSchema(SchemaType.Int, LogicalType.Date)),
        new Field("at", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros)),
        new Field("ratio", PrimitiveSchema.Double),
        new Field("blob", UnionSchema.Nullable(PrimitiveSchema.Bytes)),
    ]);

    [Theory]
    [InlineData("rows.csv")]
    [InlineData("rows.tsv")]
    public async Task Records_round_trip_through_record_files(string name)
    {
        var path = Path.Combine(_directory, name);
        var records = new[]
        {
            new GenericRecord(Schema, [1L, "a, \"quoted\"\nline", new DecimalValue(12345, 3), new DateOnly(2024, 2, 29),
                new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc).AddTicks(9), 0.1, new byte[] { 1, 2, 255 }]),
            new GenericRecord(Schema, [-2L, null, new DecimalValue(-5, 3), new DateOnly(1970, 1, 1),
                new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc), double.MaxValue, null]),
        };
        await using (var writer = await RecordFiles.OpenWriterAsync(path, Schema))
        {
            foreach (var record in records)
            {
                await writer.WriteAsync(record);
            }
        }

        (await File.ReadAllTextAsync(path)).Should().StartWith(name.EndsWith(".tsv") ? "id\ttext\t" : "id,text,price,");
        await using var reader = await RecordFiles.OpenReaderAsync(path, new RecordFileOptions { Schema = Schema });
        var read = new List<object?>();
        while (await reader.ReadBatchAsync() is { } batch)
        {
            read.AddRange(batch);
        }

        read.Should().Equal(records, (a, b) => ValueEquality.Instance.Equals(a, b));
    }

    [Fact]
    public async Task Good_rows_before_a_bad_one_are_returned_first()
    {
        var path = Path.Combine(_directory, "bad.csv");
        await File.WriteAllTextAsync(path, "id,text,price,day,at,ratio,blob\n1,a,1.000,2024-01-01,2024-01-01T00:00:00Z,1,\n2,b,x,2024-01-01,2024-01-01T00:00:00Z,1,\n4,d,2.000,2024-01-02,2024-01-01T00:00:00Z,1,\n");
        await using var reader = await RecordFiles.OpenReaderAsync(path, new RecordFileOptions { Schema = Schema, FileName = path });
        (await reader.ReadBatchAsync())!.Should().HaveCount(1);
        var next = async () => await reader.ReadBatchAsync();
        (await next.Should().ThrowAsync<CsvFormatException>()).Which.Message.Should().Contain("row 3, column 3 (price)");
        // The bad row spoils only itself: reading goes on with the next one.
        (await reader.ReadBatchAsync())!.Cast<GenericRecord>().Select(r => r["id"]).Should().Equal(4L);
        (await reader.ReadBatchAsync()).Should().BeNull();
    }
}
