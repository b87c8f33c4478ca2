using System.Text.Json;
using Streams.Catalog.Model;
using Streams.Catalog.Storage;

namespace Streams.Catalog.Tests;

/// <summary>
/// The whole crawler flow driven by the independent clients (awscli, boto3): a crawler on a local lake folder
/// and one on an s3rver bucket (through an S3 connection) are created, started and polled until READY, then
/// the inferred tables, their versions and their partitions (filtered by an expression) are read back.
/// </summary>
public sealed class GlueCrawlerClientTests(GlueApiServer server, S3rverFixture s3)
    : IClassFixture<GlueApiServer>, IClassFixture<S3rverFixture>
{
    // Three partitions with drift: amount is int then double, note appears in the last one.
    private static readonly (string Path, string Content)[] FirstFiles =
    [
        ("sales/year=2023/month=12/part-0.csv", "id,amount\n1,10\n"),
        ("sales/year=2024/month=1/part-0.csv", "id,amount\n2,20\n3,30\n"),
        ("sales/year=2024/month=2/part-0.csv", "id,amount,note\n4,10.5,late\n"),
    ];

    // Added before the second run of the local crawler: a new partition and a new column, so a new table version.
    private static readonly (string Path, string Content) SecondFile = ("sales/year=2024/month=3/part-0.csv", "id,amount,note,region\n5,1.5,x,eu\n");

    private static readonly string[] FirstColumns = ["id:int", "amount:double", "note:string"];

    /// <summary>Writes the lake under the host's lake root and the same files to s3rver; adds the S3 connection.</summary>
    private async Task<(string LocalPath, string S3Path)> WriteLakeAsync(string client)
    {
        var local = Path.Combine(server.LakeRoot, client, "db");
        var s3Root = $"s3://{S3rverFixture.Bucket}/{client}";
        using var storage = new S3LakeStorage(s3Root, new S3Options { ServiceUrl = s3.ServiceUrl, AccessKey = "S3RVER", SecretKey = "S3RVER" });
        foreach (var (path, content) in FirstFiles)
        {
            var file = Path.Combine(local, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, content);
            await storage.WriteAsync($"{s3Root}/db/{path}", System.Text.Encoding.UTF8.GetBytes(content));
        }

        await server.Store.CreateConnectionAsync(new ConnectionInput
        {
            Name = client + "-s3rver",
            ConnectionType = "S3",
            ConnectionProperties = new()
            {
                ["LAKE_ROOT"] = s3Root,
                ["S3_ENDPOINT"] = s3.ServiceUrl,
                ["AWS_ACCESS_KEY_ID"] = "S3RVER",
                ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
            },
        });
        return (local, $"{s3Root}/db");
    }

    private static async Task WriteSecondFileAsync(string localPath)
    {
        var file = Path.Combine(localPath, SecondFile.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, SecondFile.Content);
    }

    private static List<string> Columns(JsonElement table) =>
        table.GetProperty("StorageDescriptor").GetProperty("Columns").EnumerateArray()
            .Select(c => $"{c.GetProperty("Name").GetString()}:{c.GetProperty("Type").GetString()}").ToList();

    private static List<string> PartitionValues(JsonElement partitions) =>
        partitions.EnumerateArray().Select(p => string.Join("/", p.GetProperty("Values").EnumerateArray().Select(v => v.GetString())))
            .Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Awscli_crawls_a_local_folder_and_an_s3rver_bucket()
    {
        var (local, s3Path) = await WriteLakeAsync("awscli");
        await server.AwsAsync("create-database", "--database-input", """{"Name":"cli_lake"}""");
        // Independent calls run side by side: each awscli process takes a second or more to start.
        await Task.WhenAll(
            server.AwsAsync("create-crawler", "--name", "cli-local", "--role", "unused", "--database-name", "cli_lake",
                "--table-prefix", "local_", "--targets", $$"""{"S3Targets":[{"Path":"{{local}}"}]}"""),
            server.AwsAsync("create-crawler", "--name", "cli-s3", "--role", "unused", "--database-name", "cli_lake",
                "--table-prefix", "s3_", "--targets", $$"""{"S3Targets":[{"Path":"{{s3Path}}","ConnectionName":"awscli-s3rver"}]}"""));
        await Task.WhenAll(server.AwsAsync("start-crawler", "--name", "cli-local"), server.AwsAsync("start-crawler", "--name", "cli-s3"));
        (await Task.WhenAll(WaitReadyAsync("cli-local"), WaitReadyAsync("cli-s3"))).Should().Equal("SUCCEEDED", "SUCCEEDED");

        await WriteSecondFileAsync(local);
        await server.AwsAsync("start-crawler", "--name", "cli-local");
        (await WaitReadyAsync("cli-local")).Should().Be("SUCCEEDED");

        var reads = await Task.WhenAll(
            server.AwsAsync("get-tables", "--database-name", "cli_lake"),
            server.AwsAsync("get-table-versions", "--database-name", "cli_lake", "--table-name", "local_sales"),
            server.AwsAsync("get-partitions", "--database-name", "cli_lake", "--table-name", "local_sales", "--expression", "year = 2024 AND month >= 2"),
            server.AwsAsync("get-partitions", "--database-name", "cli_lake", "--table-name", "s3_sales", "--expression", "year = 2024"));
        var tables = Json(reads[0]).GetProperty("TableList");
        tables.EnumerateArray().Select(t => t.GetProperty("Name").GetString()).Should().Equal("local_sales", "s3_sales");
        var localTable = tables[0];
        Columns(localTable).Should().Equal([.. FirstColumns, "region:string"]);
        localTable.GetProperty("PartitionKeys").EnumerateArray().Select(k => $"{k.GetProperty("Name").GetString()}:{k.GetProperty("Type").GetString()}")
            .Should().Equal("year:int", "month:int");
        localTable.GetProperty("Parameters").GetProperty("classification").GetString().Should().Be("csv");
        Columns(tables[1]).Should().Equal(FirstColumns);
        tables[1].GetProperty("StorageDescriptor").GetProperty("Location").GetString().Should().Be(s3Path + "/sales/");

        var versions = Json(reads[1]).GetProperty("TableVersions");
        versions.EnumerateArray().Select(v => v.GetProperty("VersionId").GetString()).Should().Equal("2", "1");
        Columns(versions[1].GetProperty("Table")).Should().Equal(FirstColumns);

        PartitionValues(Json(reads[2]).GetProperty("Partitions")).Should().Equal("2024/2", "2024/3");
        var s3Partitions = Json(reads[3]).GetProperty("Partitions");
        PartitionValues(s3Partitions).Should().Equal("2024/1", "2024/2");
        s3Partitions[0].GetProperty("StorageDescriptor").GetProperty("Location").GetString().Should().StartWith(s3Path + "/sales/year=2024/");
    }

    [Fact]
    public async Task Boto3_crawls_a_local_folder_and_an_s3rver_bucket()
    {
        var (local, s3Path) = await WriteLakeAsync("boto3");
        var wait = """
            def wait_ready(name):
                for _ in range(300):
                    crawler = glue.get_crawler(Name=name)["Crawler"]
                    if crawler["State"] == "READY":
                        return crawler["LastCrawl"]["Status"]
                    time.sleep(0.1)
                raise Exception(name + " did not become READY")
            """;
        var first = await server.Boto3Async($$"""
            import time
            {{wait}}
            glue.create_database(DatabaseInput={"Name": "py_lake"})
            glue.create_crawler(Name="py-local", Role="unused", DatabaseName="py_lake", TablePrefix="local_",
                Targets={"S3Targets": [{"Path": "{{local}}"}]})
            glue.create_crawler(Name="py-s3", Role="unused", DatabaseName="py_lake", TablePrefix="s3_",
                Targets={"S3Targets": [{"Path": "{{s3Path}}", "ConnectionName": "boto3-s3rver"}]})
            glue.start_crawler(Name="py-local")
            glue.start_crawler(Name="py-s3")
            print(json.dumps([wait_ready("py-local"), wait_ready("py-s3")]))
            """);
        JsonDocument.Parse(first).RootElement.EnumerateArray().Select(s => s.GetString()).Should().Equal("SUCCEEDED", "SUCCEEDED");

        await WriteSecondFileAsync(local);
        var output = await server.Boto3Async($$"""
            import time
            {{wait}}
            out = {}
            glue.start_crawler(Name="py-local")
            out["second"] = wait_ready("py-local")
            out["tables"] = glue.get_tables(DatabaseName="py_lake")["TableList"]
            out["versions"] = glue.get_table_versions(DatabaseName="py_lake", TableName="local_sales")["TableVersions"]
            out["local"] = glue.get_partitions(DatabaseName="py_lake", TableName="local_sales", Expression="year = 2024 AND month >= 2")["Partitions"]
            out["s3"] = glue.get_partitions(DatabaseName="py_lake", TableName="s3_sales", Expression="year = 2024")["Partitions"]
            print(json.dumps(out, default=str))
            """);
        var result = JsonDocument.Parse(output).RootElement;
        result.GetProperty("second").GetString().Should().Be("SUCCEEDED");
        var tables = result.GetProperty("tables");
        tables.EnumerateArray().Select(t => t.GetProperty("Name").GetString()).Should().Equal("local_sales", "s3_sales");
        Columns(tables[0]).Should().Equal([.. FirstColumns, "region:string"]);
        tables[0].GetProperty("PartitionKeys").EnumerateArray().Select(k => k.GetProperty("Type").GetString()).Should().Equal("int", "int");
        Columns(tables[1]).Should().Equal(FirstColumns);
        tables[1].GetProperty("StorageDescriptor").GetProperty("Location").GetString().Should().Be(s3Path + "/sales/");
        var versions = result.GetProperty("versions");
        versions.EnumerateArray().Select(v => v.GetProperty("VersionId").GetString()).Should().Equal("2", "1");
        Columns(versions[1].GetProperty("Table")).Should().Equal(FirstColumns);
        PartitionValues(result.GetProperty("local")).Should().Equal("2024/2", "2024/3");
        PartitionValues(result.GetProperty("s3")).Should().Equal("2024/1", "2024/2");
    }

    private static JsonElement Json(string output) => JsonDocument.Parse(output).RootElement.Clone();

    /// <summary>
    /// Waits until the crawler is READY again (start-crawler returns once the run is recorded as RUNNING), polling
    /// the host's catalog, which costs no awscli start; then reads the state and the last crawl's status through
    /// <c>aws glue get-crawler</c>.
    /// </summary>
    private async Task<string?> WaitReadyAsync(string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await server.Store.GetCrawlerAsync(name)).State != "READY")
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Crawler {name} did not become READY in 30 s: {(await server.Store.GetCrawlerAsync(name)).State}");
            }

            await Task.Delay(50);
        }

        var crawler = Json(await server.AwsAsync("get-crawler", "--name", name)).GetProperty("Crawler");
        crawler.GetProperty("State").GetString().Should().Be("READY", "the catalog says {0} is READY", name);
        return crawler.GetProperty("LastCrawl").GetProperty("Status").GetString();
    }
}
