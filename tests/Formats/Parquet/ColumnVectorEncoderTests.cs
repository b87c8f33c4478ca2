using Streams.Formats.Avro.Binary;
using Streams.Formats.Model;
using Streams.Formats.Parquet;

namespace Streams.Formats.Tests.Parquet;

/// <summary>
/// <see cref="ColumnVectorEncoder"/> over the vectors of Parquet row groups writes, row by row, the very bytes
/// <see cref="AvroDatumWriter"/> writes for the records the record path reads from the same file, and declines what it
/// cannot write so.
/// </summary>
public sealed class ColumnVectorEncoderTests
{
    private static readonly RecordSchema Schema = new(new SchemaName("Click", "test"),
    [
        new Field("id", PrimitiveSchema.Long),
        new Field("ms", PrimitiveSchema.Int),
        new Field("l", UnionSchema.Nullable(PrimitiveSchema.Long)),
        new Field("late", new UnionSchema([PrimitiveSchema.Int, PrimitiveSchema.Null])),
        new Field("f", PrimitiveSchema.Float),
        new Field("d", new UnionSchema([PrimitiveSchema.Double, PrimitiveSchema.Null])),
        new Field("price", PrimitiveSchema.Double),
        new Field("user", PrimitiveSchema.String),
        new Field("ref", UnionSchema.Nullable(PrimitiveSchema.String)),
        new Field("colour", new EnumSchema(new SchemaName("Colour", "test"), ["RED", "GREEN", "BLUE"])),
    ]);

    [Fact]
    public async Task Rows_encoded_from_vectors_are_the_bytes_of_the_records_the_record_path_reads()
    {
        var random = new Random(7);
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue];
        var records = Enumerable.Range(0, 5000).Select(n => new GenericRecord(Schema,
        [
            n % 11 == 0 ? long.MinValue + n : n % 13 == 0 ? long.MaxValue - n : random.NextInt64(-1_000_000, 1_000_000),
            n % 17 == 0 ? int.MinValue : random.Next(-5000, 5000),
            n % 5 == 0 ? null : random.NextInt64(long.MinValue, long.MaxValue),
            n % 3 == 0 ? null : random.Next(int.MinValue, int.MaxValue),
            n % 19 == 0 ? float.NaN : (float)(random.NextDouble() * 1000 - 500),
            n % 7 == 0 ? null : n % 29 == 0 ? specials[n % specials.Length] : random.NextDouble() * 1e6,
            n % 23 == 0 ? specials[n % specials.Length] : Math.Round(random.NextDouble() * 100, 2),
            $"user-{random.Next(300)}-é€😀",
            n % 4 == 0 ? null : n % 9 == 0 ? "" : $"https://example.com/{random.Next(50)}",
            new[] { "RED", "GREEN", "BLUE" }[random.Next(3)],
        ])).ToList();
        await using var reader = await ParquetTestData.InMemoryFileAsync(Schema, records);
        var writer = AvroDatumWriter.For(Schema);
        var fields = Schema.Fields.Select(f => f.Name).ToList();

        reader.Metadata.RowGroups.Count.Should().BeGreaterThan(1);
        var rows = 0;
        for (var g = 0; g < reader.Metadata.RowGroups.Count; g++)
        {
            var expected = await reader.ReadRowGroupAsync(g, new ParquetReadOptions { Schema = Schema });
            var encoder = ColumnVectorEncoder.TryCreate(Schema, await reader.ReadColumnVectorsAsync(g, Schema, fields));

            encoder.Should().NotBeNull($"row group {g} has only vectorisable columns");
            encoder!.Rows.Should().Be(expected.Count);
            for (var r = 0; r < expected.Count; r++)
            {
                var actual = new ByteBuffer(64);
                var reference = new ByteBuffer(64);
                encoder.Encode(r, actual);
                writer.Write(expected[r], reference);
                Convert.ToHexString(actual.WrittenSpan).Should().Be(Convert.ToHexString(reference.WrittenSpan), $"row {r} of row group {g}");
                rows++;
            }
        }

        rows.Should().Be(records.Count);
    }

    [Fact]
    public async Task A_field_without_a_vector_or_a_null_the_schema_does_not_take_is_declined()
    {
        await using var flat = await ParquetTestData.InMemoryFileAsync(ParquetTestData.FlatSchema, ParquetTestData.Flat(1500));
        var flatFields = ParquetTestData.FlatSchema.Fields.Select(f => f.Name).ToList();
        // Booleans have no vector: the row group goes as records.
        ColumnVectorEncoder.TryCreate(ParquetTestData.FlatSchema,
            await flat.ReadColumnVectorsAsync(0, ParquetTestData.FlatSchema, flatFields)).Should().BeNull();

        var nullable = new RecordSchema(new SchemaName("Note", "test"), [new Field("note", UnionSchema.Nullable(PrimitiveSchema.String))]);
        var required = new RecordSchema(new SchemaName("Note", "test"), [new Field("note", PrimitiveSchema.String)]);
        var notes = ColumnVector.OfCodes([0, 1, 0], 3, [false, true, false], ["a", "b"]);
        // A null row under a field that takes none is the record path's to report.
        ColumnVectorEncoder.TryCreate(required, [notes]).Should().BeNull();
        ColumnVectorEncoder.TryCreate(nullable, [notes]).Should().NotBeNull();
        // A dictionary value the field does not take, likewise.
        ColumnVectorEncoder.TryCreate(required, [ColumnVector.OfCodes([0], 1, null, [42L])]).Should().BeNull();
        // Numbers of another type than the field's (the record path promotes or refuses them).
        var longs = new RecordSchema(new SchemaName("N", "test"), [new Field("n", PrimitiveSchema.Long)]);
        ColumnVectorEncoder.TryCreate(longs, [ColumnVector.OfLongs(ColumnValueType.Int32, [1], 1, null)]).Should().BeNull();
        ColumnVectorEncoder.TryCreate(longs, [ColumnVector.OfLongs(ColumnValueType.Int64, [1], 1, null)]).Should().NotBeNull();
        // A vector missing altogether, or one vector short.
        ColumnVectorEncoder.TryCreate(nullable, [null]).Should().BeNull();
        ColumnVectorEncoder.TryCreate(nullable, []).Should().BeNull();
    }
}
