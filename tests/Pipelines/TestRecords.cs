using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Serving;

namespace Streams.Pipelines.Tests;

/// <summary>Small schemas and batches for the pipeline tests.</summary>
internal static class TestRecords
{
    public static readonly Schema Timestamp = new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros);
    public static readonly Schema Date = new PrimitiveSchema(SchemaType.Int, LogicalType.Date);
    public static readonly Schema Money = new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(10, 2));

    public static readonly RecordSchema Address = new(new SchemaName("Address", "shop"),
        [new Field("city", PrimitiveSchema.String), new Field("zip", UnionSchema.Nullable(PrimitiveSchema.String))]);

    public static readonly RecordSchema Order = new(new SchemaName("Order", "shop"),
    [
        new Field("id", PrimitiveSchema.Long),
        new Field("customer", PrimitiveSchema.String),
        new Field("amount", Money),
        new Field("quantity", PrimitiveSchema.Int),
        new Field("price", PrimitiveSchema.Double),
        new Field("status", UnionSchema.Nullable(PrimitiveSchema.String)),
        new Field("ts", Timestamp),
        new Field("day", Date),
        new Field("address", UnionSchema.Nullable(Address)),
    ]);

    public static DateTime At(int minute, int second = 0) => new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc).AddMinutes(minute).AddSeconds(second);

    public static GenericRecord NewOrder(long id, string customer = "c1", decimal amount = 10.50m, int quantity = 2, double price = 5.25,
        string? status = "paid", DateTime? ts = null, string? city = "Oslo") =>
        new(Order,
        [
            id, customer, DecimalValue.FromDecimal(amount).Rescale(2), quantity, price, status, ts ?? At(0), new DateOnly(2026, 3, 1),
            city is null ? null : new GenericRecord(Address, [city, "0150"]),
        ]);

    public static RecordBatch Batch(params GenericRecord[] records) =>
        new(records[0].Schema, records, [.. records.Select((_, i) => (SourcePosition?)new SourcePosition("orders", 0, 100 + i))]);
}
