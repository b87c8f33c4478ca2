using Streams.Formats.Model;
using Streams.Formats.Parquet;

namespace Streams.Formats.Tests.Parquet;

public sealed class ParquetPredicateTests
{
    private static readonly RecordSchema Schema = new(new SchemaName("Event", "test"),
    [
        new Field("id", PrimitiveSchema.Long),
        new Field("at", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros)),
        new Field("kind", PrimitiveSchema.String),
        new Field("score", UnionSchema.Nullable(PrimitiveSchema.Double)),
    ]);

    private static async Task<MemoryStream> FileAsync()
    {
        var stream = new MemoryStream();
        await using var writer = new ParquetWriter(stream, Schema, new ParquetWriterOptions { RowGroupRows = 100 }, leaveOpen: true);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 1000; i++)
        {
            // Row group g holds ids 100g..100g+99, kinds "k{g}", and scores only in even groups.
            await writer.WriteAsync(new GenericRecord(Schema,
                [(long)i, start.AddMinutes(i), $"k{i / 100}", (i / 100) % 2 == 0 ? i * 0.5 : null]));
        }

        await writer.CompleteAsync();
        stream.Position = 0;
        return stream;
    }

    [Theory]
    [InlineData("id", ComparisonOperator.Equal, 250L, new[] { 2 })]
    [InlineData("id", ComparisonOperator.LessThan, 200L, new[] { 0, 1 })]
    [InlineData("id", ComparisonOperator.GreaterThanOrEqual, 899L, new[] { 8, 9 })]
    [InlineData("id", ComparisonOperator.GreaterThan, 999L, new int[0])]
    [InlineData("kind", ComparisonOperator.Equal, "k7", new[] { 7 })]
    [InlineData("score", ComparisonOperator.IsNull, null, new[] { 1, 3, 5, 7, 9 })]
    [InlineData("score", ComparisonOperator.LessThanOrEqual, 99.0, new[] { 0 })]
    [InlineData("score", ComparisonOperator.LessThanOrEqual, 100.0, new[] { 0, 2 })]
    public async Task Row_groups_are_skipped_from_statistics(string column, ComparisonOperator op, object? value, int[] expected)
    {
        await using var reader = await ParquetReader.OpenAsync(await FileAsync());
        reader.SelectRowGroups(new ParquetPredicate(column, op, value)).Should().Equal(expected);
    }

    [Fact]
    public async Task Timestamp_constants_are_compared_in_the_column_unit()
    {
        await using var reader = await ParquetReader.OpenAsync(await FileAsync());
        var filter = new ParquetPredicate("at", ComparisonOperator.GreaterThanOrEqual, new DateTime(2024, 1, 1, 15, 0, 0, DateTimeKind.Utc));
        reader.SelectRowGroups(filter).Should().Equal(9);
        var rows = await reader.ReadAsync(new ParquetReadOptions { Filter = filter }).ToListAsync();
        rows.Should().HaveCount(100);
        rows[0]["id"].Should().Be(900L);
    }
}
