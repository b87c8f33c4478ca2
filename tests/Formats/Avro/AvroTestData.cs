using System.Numerics;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

/// <summary>A schema covering every type and logical type, nesting, recursion, unions and maps of arrays, with values.</summary>
internal static class AvroTestData
{
    public static RecordSchema AllTypes { get; } = BuildAllTypes();

    public static RecordSchema Node => (RecordSchema)AllTypes.GetField("tree")!.Schema;

    private static RecordSchema BuildAllTypes()
    {
        var node = new RecordSchema(new SchemaName("Node", "test.interop"));
        node.SetFields([
            new Field("label", PrimitiveSchema.String),
            new Field("children", new ArraySchema(node)),
            new Field("next", new UnionSchema([PrimitiveSchema.Null, node]), hasDefault: true),
        ]);
        var color = new EnumSchema(new SchemaName("Color", "test.interop"), ["RED", "GREEN", "BLUE"]);
        var md5 = new FixedSchema(new SchemaName("Md5", "test.interop"), 16);
        var point = new RecordSchema(new SchemaName("Point", "test.other"), [
            new Field("x", PrimitiveSchema.Double),
            new Field("y", PrimitiveSchema.Double),
        ]);
        return new RecordSchema(new SchemaName("AllTypes", "test.interop"), [
            new Field("n", PrimitiveSchema.Null),
            new Field("b", PrimitiveSchema.Boolean),
            new Field("i", PrimitiveSchema.Int),
            new Field("l", PrimitiveSchema.Long),
            new Field("f", PrimitiveSchema.Float),
            new Field("d", PrimitiveSchema.Double),
            new Field("bytes", PrimitiveSchema.Bytes),
            new Field("s", PrimitiveSchema.String),
            new Field("color", color),
            new Field("md5", md5),
            new Field("ints", new ArraySchema(PrimitiveSchema.Int)),
            new Field("scores", new MapSchema(PrimitiveSchema.Double)),
            new Field("mapOfArrays", new MapSchema(new ArraySchema(PrimitiveSchema.Long))),
            new Field("arrayOfMaps", new ArraySchema(new MapSchema(PrimitiveSchema.String))),
            new Field("optional", UnionSchema.Nullable(PrimitiveSchema.String)),
            new Field("choice", new UnionSchema([PrimitiveSchema.Null, PrimitiveSchema.Int, PrimitiveSchema.String, point, color])),
            new Field("point", point),
            new Field("decBytes", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(40, 6))),
            new Field("decFixed", new FixedSchema(new SchemaName("Dec12", "test.interop"), 12, LogicalType.Decimal(20, 4))),
            new Field("uuidString", new PrimitiveSchema(SchemaType.String, LogicalType.Uuid)),
            new Field("uuidFixed", new FixedSchema(new SchemaName("Uuid16", "test.interop"), 16, LogicalType.Uuid)),
            new Field("date", new PrimitiveSchema(SchemaType.Int, LogicalType.Date)),
            new Field("timeMillis", new PrimitiveSchema(SchemaType.Int, LogicalType.TimeMillis)),
            new Field("timeMicros", new PrimitiveSchema(SchemaType.Long, LogicalType.TimeMicros)),
            new Field("tsMillis", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMillis)),
            new Field("tsMicros", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros)),
            new Field("tsNanos", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampNanos)),
            new Field("localMillis", new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMillis)),
            new Field("localMicros", new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMicros)),
            new Field("localNanos", new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampNanos)),
            new Field("duration", new FixedSchema(new SchemaName("Duration", "test.interop"), 12, LogicalType.Duration)),
            new Field("tree", node),
            new Field("optionalDate", UnionSchema.Nullable(new PrimitiveSchema(SchemaType.Int, LogicalType.Date))),
        ]);
    }

    public static GenericRecord Sample(int seed)
    {
        var random = new Random(seed);
        var schema = AllTypes;
        var point = (RecordSchema)schema.GetField("point")!.Schema;
        var md5 = new byte[16];
        random.NextBytes(md5);
        var bytes = new byte[random.Next(0, 40)];
        random.NextBytes(bytes);
        var node = Node;
        GenericRecord Leaf(string label) => new(node, [label, new List<object?>(), null]);
        var tree = new GenericRecord(node, [
            "root",
            new List<object?> { Leaf("a"), new GenericRecord(node, ["b", new List<object?> { Leaf("b1") }, Leaf("b-next")]) },
            null,
        ]);
        object?[] choices = [null, random.Next(), "text-" + seed, new GenericRecord(point, [1.5, -2.25]), "BLUE"];
        var values = new object?[]
        {
            null,
            seed % 2 == 0,
            random.Next(int.MinValue, int.MaxValue),
            random.NextInt64(long.MinValue, long.MaxValue),
            (float)(random.NextDouble() * 1000 - 500),
            random.NextDouble() * 1e12 - 5e11,
            bytes,
            "héllo ✓ " + seed + " 😀",
            new[] { "RED", "GREEN", "BLUE" }[seed % 3],
            md5,
            Enumerable.Range(0, seed % 7).Select(i => (object?)(i * 1000 - 3)).ToList(),
            new Dictionary<string, object?> { ["a"] = 1.0, ["b"] = -0.5, ["ü"] = double.MaxValue },
            new Dictionary<string, object?> { ["x"] = new List<object?> { 1L, long.MaxValue }, ["empty"] = new List<object?>() },
            new List<object?> { new Dictionary<string, object?> { ["k"] = "v" }, new Dictionary<string, object?>() },
            seed % 3 == 0 ? null : "present",
            choices[seed % choices.Length],
            new GenericRecord(point, [random.NextDouble(), -random.NextDouble()]),
            new DecimalValue(BigInteger.Parse("-123456789012345678901234567890") * (seed + 1), 6),
            new DecimalValue(new BigInteger(random.NextInt64()) * (seed % 2 == 0 ? 1 : -1), 4),
            new Guid(md5),
            Guid.NewGuid(),
            new DateOnly(1950, 1, 1).AddDays(random.Next(0, 40000)),
            new TimeOnly(random.Next(0, 86_400_000) * TimeSpan.TicksPerMillisecond),
            new TimeOnly(random.NextInt64(0, 86_400_000_000L) * 10),
            DateTime.SpecifyKind(new DateTime(2024, 2, 29, 23, 59, 59, 123), DateTimeKind.Utc).AddDays(-random.Next(0, 30000)),
            new DateTime(new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).Ticks - random.Next(0, 1000) * 10L, DateTimeKind.Utc),
            random.NextInt64(-1_000_000_000_000_000_000, 1_000_000_000_000_000_000),
            new DateTime(2001, 9, 9, 1, 46, 40, 5, DateTimeKind.Unspecified),
            new DateTime(new DateTime(2030, 1, 1).Ticks + 10 * random.Next(0, 1_000_000), DateTimeKind.Unspecified),
            random.NextInt64(),
            new DurationValue(12, 30, (uint)random.Next()),
            tree,
            seed % 2 == 0 ? null : new DateOnly(2000, 2, 29),
        };
        return new GenericRecord(schema, values);
    }
}
