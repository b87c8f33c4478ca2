using System.Text.Json;

namespace Streams.Catalog.Tests;

/// <summary>The Glue API driven by the AWS CLI (awscli 2), the independent client.</summary>
public sealed class AwsCliGlueTests(GlueApiServer server) : IClassFixture<GlueApiServer>
{
    private static JsonElement Json(string output) => JsonDocument.Parse(output).RootElement.Clone();

    [Fact]
    public async Task Creates_databases_tables_and_partitions_through_awscli()
    {
        await server.AwsAsync("create-database", "--database-input", """{"Name":"Sales","Description":"sales data"}""");
        await server.AwsAsync("create-table", "--database-name", "sales", "--table-input", """
            {"Name":"orders","TableType":"EXTERNAL_TABLE","Parameters":{"classification":"parquet"},
             "StorageDescriptor":{"Columns":[{"Name":"id","Type":"bigint"},{"Name":"amount","Type":"decimal(10,2)"}],
               "Location":"s3://lake/orders/"},
             "PartitionKeys":[{"Name":"year","Type":"string"},{"Name":"month","Type":"int"}]}
            """);
        var inputs = new List<string>();
        foreach (var (year, month) in new[] { ("2023", 12), ("2024", 1), ("2024", 1) })
        {
            inputs.Add($$$"""{"Values":["{{{year}}}","{{{month}}}"],"StorageDescriptor":{"Location":"s3://lake/orders/year={{{year}}}/month={{{month}}}/"}}""");
        }

        var batch = Json(await server.AwsAsync("batch-create-partition", "--database-name", "sales", "--table-name", "orders",
            "--partition-input-list", "[" + string.Join(",", inputs) + "]"));
        var error = batch.GetProperty("Errors").EnumerateArray().Single();
        error.GetProperty("PartitionValues").EnumerateArray().Select(v => v.GetString()).Should().Equal("2024", "1");
        error.GetProperty("ErrorDetail").GetProperty("ErrorCode").GetString().Should().Be("AlreadyExistsException");

        var database = await server.Store.GetDatabaseAsync("sales");
        database.Description.Should().Be("sales data");
        var table = await server.Store.GetTableAsync("sales", "orders");
        table.StorageDescriptor!.Columns![1].Type.Should().Be("decimal(10,2)");
        table.PartitionKeys!.Select(k => k.Name).Should().Equal("year", "month");
        (await server.Store.GetPartitionAsync("sales", "orders", ["2023", "12"])).StorageDescriptor!.Location
            .Should().Be("s3://lake/orders/year=2023/month=12/");
    }

    [Fact]
    public async Task Filters_partitions_with_expressions_and_follows_next_tokens()
    {
        await server.Store.CreateDatabaseAsync(new Model.DatabaseInput { Name = "metrics" });
        await server.Store.CreateTableAsync("metrics", new Model.TableInput
        {
            Name = "cpu",
            StorageDescriptor = new Model.StorageDescriptor { Columns = [new Model.Column { Name = "load", Type = "double" }] },
            PartitionKeys = [new Model.Column { Name = "year", Type = "string" }, new Model.Column { Name = "month", Type = "int" }],
        });
        foreach (var (year, month) in new[] { ("2023", "12"), ("2024", "01"), ("2024", "03"), ("2024", "04"), ("2024", "11") })
        {
            await server.Store.CreatePartitionAsync("metrics", "cpu", new Model.PartitionInput { Values = [year, month] });
        }

        var filtered = Json(await server.AwsAsync("get-partitions", "--database-name", "metrics", "--table-name", "cpu",
            "--expression", "year='2024' AND month>'03'"));
        filtered.GetProperty("Partitions").EnumerateArray().Select(p => p.GetProperty("Values")[1].GetString())
            .Should().BeEquivalentTo(["04", "11"], "month is an int key, so 11 > 03 numerically");

        // Auto-pagination: awscli follows NextToken when the page size is 2.
        var all = Json(await server.AwsAsync("get-partitions", "--database-name", "metrics", "--table-name", "cpu", "--page-size", "2"));
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

        using var http = new HttpClient();
        using var unsigned = new HttpRequestMessage(HttpMethod.Post, server.Url)
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        unsigned.Headers.Add("X-Amz-Target", "AWSGlue.GetDatabases");
        using var response = await http.SendAsync(unsigned);
        ((int)response.StatusCode).Should().Be(403);
        Json(await response.Content.ReadAsStringAsync()).GetProperty("__type").GetString().Should().Be("MissingAuthenticationTokenException");
    }
}
