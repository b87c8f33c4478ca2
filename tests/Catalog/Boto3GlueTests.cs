using System.Text.Json;
using Streams.Catalog.Crawlers;

namespace Streams.Catalog.Tests;

/// <summary>The Glue API driven by boto3 (botocore's Glue model), the independent client.</summary>
public sealed class Boto3GlueTests(GlueApiServer server) : IClassFixture<GlueApiServer>
{
    [Fact]
    public async Task Boto3_pages_filters_versions_and_reports_errors()
    {
        var output = await server.Boto3Async("""
            out = {}
            glue.create_database(DatabaseInput={"Name": "shop"})
            for i in range(7):
                glue.create_table(DatabaseName="shop", TableInput={"Name": f"t{i}",
                    "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "int"}]}})
            glue.create_table(DatabaseName="shop", TableInput={"Name": "orders",
                "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "int"}]},
                "PartitionKeys": [{"Name": "dt", "Type": "date"}, {"Name": "region", "Type": "string"}]})
            first = glue.get_tables(DatabaseName="shop", MaxResults=3)
            out["first_page"] = [t["Name"] for t in first["TableList"]]
            out["has_token"] = "NextToken" in first
            pages = glue.get_paginator("get_tables").paginate(DatabaseName="shop", PaginationConfig={"PageSize": 3})
            out["all_tables"] = [t["Name"] for p in pages for t in p["TableList"]]
            out["matching"] = [t["Name"] for t in glue.get_tables(DatabaseName="shop", Expression="t[1-3]")["TableList"]]
            out["star"] = [t["Name"] for t in glue.get_tables(DatabaseName="shop", Expression="ord*")["TableList"]]

            glue.update_table(DatabaseName="shop", TableInput={"Name": "t0",
                "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "bigint"}]}})
            versions = glue.get_table_versions(DatabaseName="shop", TableName="t0")["TableVersions"]
            out["versions"] = [(v["VersionId"], v["Table"]["StorageDescriptor"]["Columns"][0]["Type"]) for v in versions]

            for dt in ["2024-01-30", "2024-02-01", "2024-02-15"]:
                for region in ["eu", "us"]:
                    glue.create_partition(DatabaseName="shop", TableName="orders",
                        PartitionInput={"Values": [dt, region], "StorageDescriptor": {"Location": f"/lake/orders/dt={dt}/region={region}/"}})
            parts = glue.get_partitions(DatabaseName="shop", TableName="orders",
                Expression="dt >= '2024-02-01' AND region IN ('eu') OR (dt < '2024-02-01' AND NOT region = 'eu')")["Partitions"]
            out["expression"] = sorted("/".join(p["Values"]) for p in parts)
            out["like"] = sorted("/".join(p["Values"]) for p in glue.get_partitions(DatabaseName="shop", TableName="orders",
                Expression="region LIKE 'u%' AND dt BETWEEN '2024-01-01' AND '2024-02-01'")["Partitions"])
            got = glue.batch_get_partition(DatabaseName="shop", TableName="orders",
                PartitionsToGet=[{"Values": ["2024-01-30", "eu"]}, {"Values": ["2099-01-01", "eu"]}])
            out["batch_found"] = [p["Values"] for p in got["Partitions"]]
            out["batch_missing"] = [k["Values"] for k in got["UnprocessedKeys"]]
            glue.delete_partition(DatabaseName="shop", TableName="orders", PartitionValues=["2024-01-30", "eu"])
            try:
                glue.get_partition(DatabaseName="shop", TableName="orders", PartitionValues=["2024-01-30", "eu"])
            except glue.exceptions.EntityNotFoundException as e:
                out["deleted_partition"] = e.response["Error"]["Code"]
            try:
                glue.create_partition(DatabaseName="shop", TableName="orders", PartitionInput={"Values": ["not-a-date", "eu"]})
            except glue.exceptions.InvalidInputException as e:
                out["bad_value"] = e.response["Error"]["Message"]
            try:
                glue.get_partitions(DatabaseName="shop", TableName="orders", Expression="dt = ")
            except glue.exceptions.InvalidInputException as e:
                out["bad_expression"] = e.response["ResponseMetadata"]["HTTPStatusCode"]
            try:
                glue.create_table(DatabaseName="missing", TableInput={"Name": "x"})
            except glue.exceptions.EntityNotFoundException as e:
                out["missing_db"] = e.response["ResponseMetadata"]["HTTPStatusCode"]

            glue.create_classifier(CsvClassifier={"Name": "pipes", "Delimiter": "|", "ContainsHeader": "PRESENT"})
            glue.create_classifier(JsonClassifier={"Name": "items", "JsonPath": "$.items[*]"})
            out["classifier"] = glue.get_classifier(Name="pipes")["Classifier"]["CsvClassifier"]["Delimiter"]
            out["classifiers"] = sorted(c.get("CsvClassifier", c.get("JsonClassifier"))["Name"] for c in glue.get_classifiers()["Classifiers"])
            try:
                glue.create_classifier(JsonClassifier={"Name": "bad", "JsonPath": "$..deep"})
            except glue.exceptions.InvalidInputException as e:
                out["bad_classifier"] = e.response["Error"]["Message"]

            glue.create_connection(ConnectionInput={"Name": "pg", "ConnectionType": "JDBC", "ConnectionProperties": {
                "JDBC_CONNECTION_URL": "jdbc:postgresql://127.0.0.1:5432/db", "USERNAME": "u", "PASSWORD": "hunter2"}})
            conn = glue.get_connection(Name="pg", HidePassword=False)["Connection"]
            out["connection_properties"] = conn["ConnectionProperties"]
            out["connections"] = [c["Name"] for c in glue.get_connections()["ConnectionList"]]
            glue.delete_connection(ConnectionName="pg")
            out["connections_after"] = [c["Name"] for c in glue.get_connections()["ConnectionList"]]
            print(json.dumps(out))
            """);
        var result = JsonDocument.Parse(output).RootElement;
        Strings(result, "first_page").Should().Equal("orders", "t0", "t1");
        result.GetProperty("has_token").GetBoolean().Should().BeTrue();
        Strings(result, "all_tables").Should().Equal("orders", "t0", "t1", "t2", "t3", "t4", "t5", "t6");
        Strings(result, "matching").Should().Equal("t1", "t2", "t3");
        Strings(result, "star").Should().Equal("orders");
        result.GetProperty("versions").EnumerateArray().Select(v => $"{v[0].GetString()}:{v[1].GetString()}")
            .Should().Equal("2:bigint", "1:int");
        Strings(result, "expression").Should().Equal("2024-01-30/us", "2024-02-01/eu", "2024-02-15/eu");
        Strings(result, "like").Should().Equal("2024-01-30/us", "2024-02-01/us");
        result.GetProperty("batch_found").GetArrayLength().Should().Be(1);
        result.GetProperty("batch_missing")[0][0].GetString().Should().Be("2099-01-01");
        result.GetProperty("deleted_partition").GetString().Should().Be("EntityNotFoundException");
        result.GetProperty("bad_value").GetString().Should().Contain("not-a-date").And.Contain("date");
        result.GetProperty("bad_expression").GetInt32().Should().Be(400);
        result.GetProperty("missing_db").GetInt32().Should().Be(400);
        var properties = result.GetProperty("connection_properties");
        properties.GetProperty("USERNAME").GetString().Should().Be("u");
        properties.TryGetProperty("PASSWORD", out _).Should().BeFalse("secrets are never returned");
        Strings(result, "connections").Should().Equal("pg");
        result.GetProperty("classifier").GetString().Should().Be("|");
        Strings(result, "classifiers").Should().Equal("items", "pipes");
        result.GetProperty("bad_classifier").GetString().Should().Contain("$..deep");
        Strings(result, "connections_after").Should().BeEmpty();

        // Stored encrypted: the password's bytes are nowhere in the table, but crawlers can decrypt it.
        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await server.Store.CreateConnectionAsync(new Model.ConnectionInput
        {
            Name = "pg2",
            ConnectionType = "JDBC",
            ConnectionProperties = new() { ["JDBC_CONNECTION_URL"] = "jdbc:postgresql://h/db", ["PASSWORD"] = "hunter2" },
        });
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT properties::text || encode(secrets, 'escape') FROM catalog.connections", connection);
        ((string)(await command.ExecuteScalarAsync())!).Should().NotContain("hunter2");
        (await server.Store.GetConnectionPropertiesAsync("pg2"))["PASSWORD"].Should().Be("hunter2");
    }

    [Fact]
    public async Task Boto3_creates_starts_and_measures_a_crawler()
    {
        var folder = Path.Combine(server.LakeRoot, "crawl", "people");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "a.csv"), "id,name\n1,ann\n2,bob\n");
        var output = await server.Boto3Async($$"""
            import time
            out = {}
            glue.create_database(DatabaseInput={"Name": "crawled"})
            glue.create_crawler(Name="people", Role="unused", DatabaseName="crawled",
                Targets={"S3Targets": [{"Path": "{{Path.Combine(server.LakeRoot, "crawl")}}"}]})
            out["state_before"] = glue.get_crawler(Name="people")["Crawler"]["State"]
            glue.start_crawler(Name="people")
            for _ in range(200):
                crawler = glue.get_crawler(Name="people")["Crawler"]
                if crawler["State"] == "READY" and "LastCrawl" in crawler:
                    break
                time.sleep(0.1)
            out["last_crawl"] = crawler["LastCrawl"]["Status"]
            metrics = glue.get_crawler_metrics(CrawlerNameList=["people"])["CrawlerMetricsList"][0]
            out["tables_created"] = metrics["TablesCreated"]
            out["columns"] = [(c["Name"], c["Type"]) for c in glue.get_table(DatabaseName="crawled", Name="people")["Table"]["StorageDescriptor"]["Columns"]]
            out["crawlers"] = [c["Name"] for c in glue.get_crawlers()["Crawlers"]]
            glue.update_crawler(Name="people", TablePrefix="raw_")
            out["prefix"] = glue.get_crawler(Name="people")["Crawler"]["TablePrefix"]
            try:
                glue.stop_crawler(Name="people")
            except glue.exceptions.CrawlerNotRunningException as e:
                out["stop_idle"] = e.response["Error"]["Code"]
            print(json.dumps(out))
            """);
        var result = JsonDocument.Parse(output).RootElement;
        result.GetProperty("state_before").GetString().Should().Be("READY");
        result.GetProperty("last_crawl").GetString().Should().Be("SUCCEEDED");
        result.GetProperty("tables_created").GetInt32().Should().Be(1);
        result.GetProperty("columns").EnumerateArray().Select(c => $"{c[0].GetString()}:{c[1].GetString()}")
            .Should().Equal("id:int", "name:string");
        Strings(result, "crawlers").Should().Equal("people");
        result.GetProperty("prefix").GetString().Should().Be("raw_");
        result.GetProperty("stop_idle").GetString().Should().Be("CrawlerNotRunningException");

        // While a run holds the crawler, starting, updating or deleting it is refused.
        var runId = await server.Store.BeginCrawlerRunAsync("people");
        var refused = await server.Boto3Async("""
            out = []
            for call in [lambda: glue.start_crawler(Name="people"), lambda: glue.delete_crawler(Name="people"),
                         lambda: glue.update_crawler(Name="people", Description="x")]:
                try:
                    call()
                    out.append("accepted")
                except glue.exceptions.CrawlerRunningException as e:
                    out.append(e.response["Error"]["Code"])
            print(json.dumps(out))
            """);
        await server.Store.FinishCrawlerRunAsync("people", runId, "CANCELLED", null, new CrawlMetrics());
        JsonDocument.Parse(refused).RootElement.EnumerateArray().Select(e => e.GetString())
            .Should().Equal("CrawlerRunningException", "CrawlerRunningException", "CrawlerRunningException");
    }

    private static List<string?> Strings(JsonElement result, string name) =>
        result.GetProperty(name).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Array
            ? string.Join("/", e.EnumerateArray().Select(x => x.GetString()))
            : e.GetString()).ToList();
}
