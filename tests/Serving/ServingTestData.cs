using Npgsql;
using Streams.Formats.Model;
using Streams.Serving;

namespace Streams.Serving.Tests;

/// <summary>A windowed count/sum output over (page, window_start) used by the serving tests.</summary>
internal static class ServingTestData
{
    public static readonly Schema Timestamp = new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros);

    public static readonly RecordSchema Schema = new(new SchemaName("page_views", null),
    [
        new Field("page", PrimitiveSchema.String),
        new Field("window_start", Timestamp),
        new Field("views", PrimitiveSchema.Long),
        new Field("revenue", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(12, 2))),
    ]);

    public static ServingOutputDefinition Output(string name = "page_views") => new(name, Schema, ["page", "window_start"], "window_start",
        new Dictionary<string, ColumnMerge> { ["views"] = ColumnMerge.Add, ["revenue"] = ColumnMerge.Add });

    public static DateTime Minute(int minute) => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(minute);

    public static GenericRecord Row(string page, int minute, long views, decimal revenue = 0m) =>
        new(Schema, [page, Minute(minute), views, DecimalValue.FromDecimal(revenue)]);

    public static async Task<NpgsqlDataSource> MigratedAsync(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await ServingMigrations.ApplyAsync(dataSource);
        return dataSource;
    }

    public static async IAsyncEnumerable<IReadOnlyList<GenericRecord>> Chunks(params IReadOnlyList<GenericRecord>[] chunks)
    {
        foreach (var chunk in chunks)
        {
            await Task.Yield();
            yield return chunk;
        }
    }

    public static async Task<List<(string Page, DateTime Window, long Views)>> ReadViewAsync(NpgsqlDataSource dataSource, string view = "page_views")
    {
        await using var command = dataSource.CreateCommand($"SELECT page, window_start, views FROM serving.{view} ORDER BY page, window_start");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, DateTime, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetFieldValue<DateTime>(1), reader.GetInt64(2)));
        }

        return rows;
    }

    public static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
