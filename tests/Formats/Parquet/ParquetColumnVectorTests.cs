using Streams.Formats.Model;
using Streams.Formats.Parquet;

namespace Streams.Formats.Tests.Parquet;

/// <summary>Row groups read as column vectors give, row by row, the values the record path reads from the same file.</summary>
public sealed class ParquetColumnVectorTests
{
    private static async Task AssertSameValuesAsync(ParquetReader reader, string[] fields, string[] vectorised, string[] notVectorised)
    {
        reader.Metadata.RowGroups.Count.Should().BeGreaterThan(1);
        for (var g = 0; g < reader.Metadata.RowGroups.Count; g++)
        {
            var records = await reader.ReadRowGroupAsync(g);
            var vectors = await reader.ReadColumnVectorsAsync(g, reader.Schema, fields);
            for (var f = 0; f < fields.Length; f++)
            {
                if (notVectorised.Contains(fields[f]))
                {
                    vectors[f].Should().BeNull(fields[f]);
                    continue;
                }

                if (vectorised.Contains(fields[f]))
                {
                    vectors[f].Should().NotBeNull(fields[f]);
                }

                if (vectors[f] is not { } vector)
                {
                    continue;
                }

                vector.Count.Should().Be(records.Count);
                for (var r = 0; r < records.Count; r++)
                {
                    ValueEquality.Instance.Equals(vector.ValueAt(r), records[r][fields[f]])
                        .Should().BeTrue($"row {r} of row group {g}, field {fields[f]}: vector {ValueEquality.Format(vector.ValueAt(r))}, record {ValueEquality.Format(records[r][fields[f]])}");
                }
            }
        }
    }

    [Fact]
    public async Task Flat_numbers_and_strings_read_as_vectors_equal_the_records()
    {
        await using var reader = await ParquetTestData.InMemoryFileAsync(ParquetTestData.FlatSchema, ParquetTestData.Flat(5000));

        await AssertSameValuesAsync(reader, ["id", "i", "l", "f", "d", "s", "low", "b"], vectorised: ["id", "i", "l", "f", "d", "low"], notVectorised: ["b"]);
    }

    [Fact]
    public async Task Timestamps_and_decimals_read_as_vectors_equal_the_records()
    {
        var schema = new RecordSchema(new SchemaName("Order", "test"),
        [
            new Field("ts", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros)),
            new Field("at", UnionSchema.Nullable(new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMillis))),
            new Field("amount", UnionSchema.Nullable(new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(10, 2)))),
            new Field("tags", new ArraySchema(PrimitiveSchema.String)),
        ]);
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var records = Enumerable.Range(0, 3000).Select(i => new GenericRecord(schema,
        [
            start.AddTicks(i * 123_456_780L),
            i % 4 == 0 ? null : start.AddMilliseconds(i * 7),
            i % 5 == 0 ? null : new DecimalValue(i * 37 - 20_000, 2),
            new List<object?> { "t" + (i % 3) },
        ]));
        await using var reader = await ParquetTestData.InMemoryFileAsync(schema, records);

        await AssertSameValuesAsync(reader, ["ts", "at", "amount", "tags"], vectorised: ["ts", "at"], notVectorised: ["tags"]);
    }
}
