using Npgsql;
using Streams.Testing;

namespace Streams.Batch.Tests;

/// <summary>The batch layer's store is PostgreSQL: the suite's server takes a round trip of typed rows.</summary>
public sealed class PostgresRoundTripTests(PostgresFixture database) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Writes_and_reads_back_typed_rows()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand("CREATE TABLE bookmark (job text PRIMARY KEY, file text, row_number bigint, at timestamptz)", connection)
            .ExecuteNonQueryAsync();
        var at = new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc);
        await using (var insert = new NpgsqlCommand("INSERT INTO bookmark VALUES (@job, @file, @row, @at)", connection))
        {
            insert.Parameters.AddWithValue("job", "backfill");
            insert.Parameters.AddWithValue("file", "dt=2026-11-20/part-0.parquet");
            insert.Parameters.AddWithValue("row", 123_456_789_012L);
            insert.Parameters.AddWithValue("at", at);
            (await insert.ExecuteNonQueryAsync()).Should().Be(1);
        }

        await using var select = new NpgsqlCommand("SELECT file, row_number, at FROM bookmark WHERE job = 'backfill'", connection);
        await using var reader = await select.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        reader.GetString(0).Should().Be("dt=2026-11-20/part-0.parquet");
        reader.GetInt64(1).Should().Be(123_456_789_012L);
        reader.GetFieldValue<DateTime>(2).Should().Be(at);
        (await reader.ReadAsync()).Should().BeFalse();
    }
}
