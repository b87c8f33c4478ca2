using System.Text.Json;

namespace Streams.Catalog.Tests;

/// <summary>The Glue API driven by the AWS CLI (awscli 2), the independent client.</summary>
public sealed class AwsCliGlueTests(GlueApiServer server) : IClassFixture<GlueApiServer>
{
    private static JsonElement Json(string output) => JsonDocument.Parse(output).RootElement.Clone();

    [Fact]
    public async Task Databases_tables_and_partitions_round_trip_through_awscli()
    {
        await server.AwsAsync("create-database", "--database-input", """{"Name":"Sales","Description":"sales data"}""");
        var database = Json(await server.AwsAsync("get-database", "--name", "sales"));
        database.GetProperty("Database").GetProperty("Name").GetString().Should().Be("sales");
        database.GetProperty("Database").GetProperty("Description").GetString().Should().Be("sales data");

        await server.AwsAsync("create-table", "--database-name", "sales", "--table-input", """
            {"Name":"orders","TableType":"EXTERNAL_TABLE","Parameters":{"classification":"parquet"},
             "StorageDescriptor":{"Columns":[{"Name":"id","Type":"bigint"},{"Name":"amount","Type":"decimal(10,2)"}],
               "Location":"s3://lake/orders/"},
             "PartitionKeys":[{"Name":"year","Type":"string"},{"Name":"month","Type":"int"}]}
            """);
        var inputs = new List<string>();
        foreach (var (year, month) in new[] { ("2023", 12), ("2024", 1), ("2024", 3), ("2024", 4), ("2024", 11) })
        {
            inputs.Add($$$"""{"Values":["{{{year}}}","{{{month}}}"],"StorageDescriptor":{"Location":"s3://lake/orders/year={{{year}}}/month={{{month}}}/"}}""");
        }

        var batch = Json(await server.AwsAsync("batch-create-partition", "--database-name", "sales", "--table-name", "orders",
            "--partition-input-list", "[" + string.Join(",", inputs) + "]"));
        (batch.TryGetProperty("Errors", out var errors) ? errors.GetArrayLength() : 0).Should().Be(0);

        var filtered = Json(await server.AwsAsync("get-partitions", "--database-name", "sales", "--table-name", "orders",
            "--expression", "year='2024' AND month>'03'"));
        filtered.GetProperty("Partitions").EnumerateArray().Select(p => p.GetProperty("Values")[1].GetString())
            .Should().BeEquivalentTo(["4", "11"], "month is an int key, so 11 > 03 numerically");

        // Auto-pagination: awscli follows NextToken when the page size is 2.
        var all = Json(await server.AwsAsync("get-partitions", "--database-name", "sales", "--table-name", "orders", "--page-size", "2"));
        all.GetProperty("Partitions").GetArrayLength().Should().Be(5);
    }

    [Fact]
    public async Task Errors_come_back_as_glue_exceptions()
    {
        var missing = () => server.AwsAsync("get-table", "--database-name", "nowhere", "--name", "nothing");
        (await missing.Should().ThrowAsync<InvalidOperationException>()).Which.Message
            .Should().Contain("(EntityNotFoundException) when calling the GetTable operation");

        await server.AwsAsync("create-database", "--database-input", """{"Name":"dupes"}""");
        var again = () => server.AwsAsync("create-database", "--database-input", """{"Name":"dupes"}""");
        (await again.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("(AlreadyExistsException)");
    }

    [Fact]
    public async Task Requests_signed_with_unknown_keys_or_wrong_secrets_are_refused()
    {
        var unknown = () => server.AwsWithKeysAsync("AKIDUNKNOWN", GlueApiServer.SecretKey, "get-databases");
        (await unknown.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("UnrecognizedClientException");

        var wrongSecret = () => server.AwsWithKeysAsync(GlueApiServer.AccessKey, "not-the-secret", "get-databases");
        (await wrongSecret.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("InvalidSignatureException");

        Json(await server.AwsAsync("get-databases")).GetProperty("DatabaseList").ValueKind.Should().Be(JsonValueKind.Array);
    }
}
