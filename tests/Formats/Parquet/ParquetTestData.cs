using System.Numerics;
using Streams.Formats.Model;
using Streams.Formats.Parquet;

namespace Streams.Formats.Tests.Parquet;

/// <summary>A schema covering every type and nesting the Parquet writer supports, and deterministic records of it.</summary>
public static class ParquetTestData
{
    private static Schema Nullable(Schema s) => UnionSchema.Nullable(s);

    /// <summary><paramref name="records"/> in an in-memory Parquet file of row groups of 1,000 rows, opened for reading.</summary>
    public static async Task<ParquetReader> InMemoryFileAsync(RecordSchema schema, IEnumerable<GenericRecord> records)
    {
        var stream = new MemoryStream();
        await using (var writer = new ParquetWriter(stream, schema, new ParquetWriterOptions { RowGroupRows = 1000 }, leaveOpen: true))
        {
            await writer.WriteAsync(records);
            await writer.CompleteAsync();
        }

        stream.Position = 0;
        return await ParquetReader.OpenAsync(stream);
    }

    public static RecordSchema FlatSchema { get; } = new(new SchemaName("Flat", "test"),
    [
        new Field("id", PrimitiveSchema.Long),
        new Field("b", PrimitiveSchema.Boolean),
        new Field("i", PrimitiveSchema.Int),
        new Field("l", Nullable(PrimitiveSchema.Long)),
        new Field("f", PrimitiveSchema.Float),
        new Field("d", Nullable(PrimitiveSchema.Double)),
        new Field("s", Nullable(PrimitiveSchema.String)),
        new Field("low", PrimitiveSchema.String),
    ]);

    public static RecordSchema FullSchema { get; } = BuildFullSchema();

    private static RecordSchema BuildFullSchema()
    {
        var geo = new RecordSchema(new SchemaName("Geo", "test"),
            [new Field("lat", PrimitiveSchema.Double), new Field("lon", PrimitiveSchema.Double)]);
        var address = new RecordSchema(new SchemaName("Address", "test"),
        [
            new Field("street", PrimitiveSchema.String),
            new Field("zip", Nullable(PrimitiveSchema.Int)),
            new Field("geo", geo),
        ]);
        var line = new RecordSchema(new SchemaName("Line", "test"),
        [
            new Field("sku", PrimitiveSchema.String),
            new Field("qty", PrimitiveSchema.Int),
            new Field("notes", new ArraySchema(PrimitiveSchema.String)),
        ]);
        return new RecordSchema(new SchemaName("Everything", "test"),
        [
            new Field("id", PrimitiveSchema.Long),
            new Field("b", PrimitiveSchema.Boolean),
            new Field("i", PrimitiveSchema.Int),
            new Field("l", Nullable(PrimitiveSchema.Long)),
            new Field("f", PrimitiveSchema.Float),
            new Field("d", Nullable(PrimitiveSchema.Double)),
            new Field("s", Nullable(PrimitiveSchema.String)),
            new Field("bin", PrimitiveSchema.Bytes),
            new Field("fx", new FixedSchema(new SchemaName("Four", "test"), 4)),
            new Field("color", new EnumSchema(new SchemaName("Color", "test"), ["RED", "GREEN", "BLUE"])),
            new Field("u", new PrimitiveSchema(SchemaType.String, LogicalType.Uuid)),
            new Field("dt", new PrimitiveSchema(SchemaType.Int, LogicalType.Date)),
            new Field("tm", new PrimitiveSchema(SchemaType.Int, LogicalType.TimeMillis)),
            new Field("tu", new PrimitiveSchema(SchemaType.Long, LogicalType.TimeMicros)),
            new Field("tsm", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMillis)),
            new Field("tsu", Nullable(new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros))),
            new Field("tsn", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampNanos)),
            new Field("ltm", new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMillis)),
            new Field("ltu", new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMicros)),
            new Field("ltn", new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampNanos)),
            new Field("dec", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(10, 3))),
            new Field("decf", Nullable(new FixedSchema(new SchemaName("Dec16", "test"), 16, LogicalType.Decimal(38, 10)))),
            new Field("dur", new FixedSchema(new SchemaName("Dur", "test"), 12, LogicalType.Duration)),
            new Field("tags", new ArraySchema(PrimitiveSchema.String)),
            new Field("nums", Nullable(new ArraySchema(Nullable(PrimitiveSchema.Int)))),
            new Field("attrs", new MapSchema(PrimitiveSchema.Long)),
            new Field("addr", Nullable(address)),
            new Field("lines", new ArraySchema(line)),
            new Field("choice", new UnionSchema([PrimitiveSchema.Null, PrimitiveSchema.Int, PrimitiveSchema.String])),
            new Field("grid", new MapSchema(new ArraySchema(PrimitiveSchema.Int))),
        ]);
    }

    public static IReadOnlyList<GenericRecord> Flat(int count, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(n => new GenericRecord(FlatSchema,
        [
            (long)n,
            random.Next(2) == 0,
            random.Next(int.MinValue, int.MaxValue),
            random.Next(5) == 0 ? null : random.NextInt64(long.MinValue, long.MaxValue),
            (float)(random.NextDouble() * 1000 - 500),
            random.Next(7) == 0 ? null : random.NextDouble() * 1e6,
            random.Next(9) == 0 ? null : RandomText(random, random.Next(0, 30)),
            $"category-{random.Next(8)}",
        ])).ToList();
    }

    public static IReadOnlyList<GenericRecord> Full(int count, int seed = 1)
    {
        var random = new Random(seed);
        var schema = FullSchema;
        var address = (RecordSchema)((UnionSchema)schema.GetField("addr")!.Schema).Branches[1];
        var geo = (RecordSchema)address.GetField("geo")!.Schema;
        var line = (RecordSchema)((ArraySchema)schema.GetField("lines")!.Schema).Items;
        var colors = new[] { "RED", "GREEN", "BLUE" };
        var records = new List<GenericRecord>(count);
        for (var n = 0; n < count; n++)
        {
            var micros = random.NextInt64(-2_000_000_000_000_000L, 4_000_000_000_000_000L);
            records.Add(new GenericRecord(schema,
            [
                (long)n,
                random.Next(2) == 0,
                random.Next(int.MinValue, int.MaxValue),
                random.Next(5) == 0 ? null : random.NextInt64(long.MinValue, long.MaxValue),
                n % 97 == 5 ? float.NaN : (float)(random.NextDouble() * 1000 - 500),
                random.Next(7) == 0 ? null : random.NextDouble() * 1e6 - 5e5,
                random.Next(9) == 0 ? null : RandomText(random, random.Next(0, 20)),
                RandomBytes(random, random.Next(0, 12)),
                RandomBytes(random, 4),
                colors[random.Next(3)],
                new Guid(RandomBytes(random, 16)),
                DateOnly.FromDayNumber(random.Next(DateOnly.Parse("1900-01-01").DayNumber, DateOnly.Parse("2200-01-01").DayNumber)),
                new TimeOnly(random.Next(0, 86_400_000) * TimeSpan.TicksPerMillisecond),
                new TimeOnly(random.NextInt64(0, 86_400_000_000L) * 10),
                DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(micros / 1000 * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc),
                random.Next(6) == 0 ? null : DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(micros * 10), DateTimeKind.Utc),
                micros * 1000 + random.Next(1000),
                DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(micros / 1000 * TimeSpan.TicksPerMillisecond), DateTimeKind.Unspecified),
                DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(micros * 10), DateTimeKind.Unspecified),
                micros * 1000 - random.Next(1000),
                new DecimalValue(random.NextInt64(-9_999_999_999L, 9_999_999_999L), 3),
                random.Next(4) == 0 ? null : new DecimalValue(BigInteger.Parse("12345678901234567890123") * random.Next(-1000, 1000) + random.Next(), 10),
                new DurationValue((uint)random.Next(0, 100), (uint)random.Next(0, 1000), (uint)random.Next(0, 86_400_000)),
                Enumerable.Range(0, random.Next(0, 4)).Select(k => (object?)$"tag{k}-{random.Next(100)}").ToList(),
                random.Next(5) == 0 ? null : Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(4) == 0 ? null : (object?)random.Next(-100, 100)).ToList(),
                Enumerable.Range(0, random.Next(0, 3)).ToDictionary(k => $"k{k}", k => (object?)random.NextInt64()),
                random.Next(4) == 0 ? null : new GenericRecord(address,
                [
                    RandomText(random, 10),
                    random.Next(3) == 0 ? null : random.Next(10000, 99999),
                    new GenericRecord(geo, [random.NextDouble() * 180 - 90, random.NextDouble() * 360 - 180]),
                ]),
                Enumerable.Range(0, random.Next(0, 3)).Select(_ => (object?)new GenericRecord(line,
                [
                    $"SKU-{random.Next(1000)}",
                    random.Next(1, 10),
                    Enumerable.Range(0, random.Next(0, 3)).Select(k => (object?)$"note {k}").ToList(),
                ])).ToList(),
                (random.Next(3)) switch { 0 => null, 1 => (object?)random.Next(), _ => RandomText(random, 5) },
                Enumerable.Range(0, random.Next(0, 3)).ToDictionary(k => $"row{k}",
                    _ => (object?)Enumerable.Range(0, random.Next(0, 3)).Select(x => (object?)x).ToList()),
            ]));
        }

        return records;
    }

    private static string RandomText(Random random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789äöüé€漢字";
        return new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }

    /// <summary>Random bytes, never a backslash (DuckDB's blob rendering would make it ambiguous).</summary>
    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\\') bytes[i] = 0;
        }

        return bytes;
    }
}
