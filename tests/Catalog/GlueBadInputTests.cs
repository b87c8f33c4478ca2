using System.Text.Json;

namespace Streams.Catalog.Tests;

/// <summary>
/// Bad requests over raw HTTP (POST / with X-Amz-Target, bodies sent byte for byte and SigV4-signed by
/// botocore's signer): each gets the AWS-style error and leaves the catalog as it was.
/// </summary>
public sealed class GlueBadInputTests(GlueApiServer server) : IClassFixture<GlueApiServer>
{
    private static readonly (string Target, string Body, string Type, string Message)[] BadRequests =
    [
        ("AWSGlue.LaunchRocket", """{"Name":"x"}""", "UnknownOperationException", "LaunchRocket"),
        ("Glue.CreateDatabase", """{"DatabaseInput":{"Name":"wrong_prefix"}}""", "UnknownOperationException", "Glue.CreateDatabase"),
        ("AWSGlue.CreateDatabase", """{"DatabaseInput":{"Name":"half""", "SerializationException", "not valid JSON"),
        ("AWSGlue.CreateDatabase", "[1, 2]", "SerializationException", "must be a JSON object"),
        ("AWSGlue.CreateDatabase", "{}", "InvalidInputException", "DatabaseInput is required"),
        ("AWSGlue.CreateDatabase", """{"DatabaseInput":{"Description":"no name"}}""", "InvalidInputException", "name is required"),
        ("AWSGlue.CreateDatabase", """{"DatabaseInput":"not an object"}""", "InvalidInputException", "DatabaseInput"),
        ("AWSGlue.CreateDatabase", """{"DatabaseInput":{"Name":"has space"}}""", "InvalidInputException", "'has space' is invalid"),
        ("AWSGlue.CreateDatabase", """{"DatabaseInput":{"Name":"slash/name"}}""", "InvalidInputException", "'slash/name' is invalid"),
        ("AWSGlue.CreateDatabase", $$$"""{"DatabaseInput":{"Name":"{{{new string('a', 256)}}}"}}""", "InvalidInputException", "up to 255"),
        ("AWSGlue.CreateTable", """{"DatabaseName":"intact"}""", "InvalidInputException", "TableInput is required"),
        ("AWSGlue.CreateTable", """{"TableInput":{"Name":"t"}}""", "InvalidInputException", "DatabaseName is required"),
        ("AWSGlue.CreateTable", """{"DatabaseName":"intact","TableInput":{"Name":"bad;name"}}""", "InvalidInputException", "'bad;name' is invalid"),
        ("AWSGlue.CreateTable", """{"DatabaseName":"intact","TableInput":{"Name":"t","StorageDescriptor":{"Columns":[{"Name":"a","Type":"int"},{"Name":"a","Type":"int"}]}}}""", "InvalidInputException", "appears twice"),
        ("AWSGlue.CreateTable", """{"DatabaseName":"intact","TableInput":{"Name":"t","StorageDescriptor":{"Columns":[{"Name":"a","Type":"notatype<"}]}}}""", "InvalidInputException", "column 'a'"),
        ("AWSGlue.CreatePartition", """{"DatabaseName":"intact","TableName":"kept"}""", "InvalidInputException", "PartitionInput is required"),
        ("AWSGlue.CreateCrawler", """{"Name":"c","DatabaseName":"intact"}""", "InvalidInputException", "target"),
    ];

    [Fact]
    public async Task Bad_requests_get_aws_errors_and_store_nothing()
    {
        await EnsureIntactAsync();
        var control = ("AWSGlue.CreateDatabase", """{"DatabaseInput":{"Name":"raw_ok"}}""");

        var results = await PostAllAsync([.. BadRequests.Select(r => (r.Target, r.Body)), control]);

        for (var i = 0; i < BadRequests.Length; i++)
        {
            var (target, body, type, message) = BadRequests[i];
            var because = $"{target} {body}";
            var result = results[i];
            result.GetProperty("status").GetInt32().Should().Be(400, because);
            var error = JsonDocument.Parse(result.GetProperty("body").GetString()!).RootElement;
            error.GetProperty("__type").GetString().Should().Be(type, because);
            error.GetProperty("Message").GetString().Should().Contain(message, because);
            result.GetProperty("before").GetString().Should().Be(result.GetProperty("after").GetString(), "a refused request stores nothing: " + because);
        }

        // The control goes the same raw, signed path and is stored, so the snapshot would have seen a change.
        var accepted = results[^1];
        accepted.GetProperty("status").GetInt32().Should().Be(200);
        accepted.GetProperty("after").GetString().Should().NotBe(accepted.GetProperty("before").GetString());
        (await server.Store.GetDatabaseAsync("raw_ok")).Name.Should().Be("raw_ok");
    }

    [Fact]
    public async Task Inputs_over_glues_documented_limits_are_refused_and_store_nothing()
    {
        await EnsureIntactAsync();
        string Db(string member) => """{"DatabaseInput":{"Name":"limits_db",""" + member + "}}";
        string Table(string member) => """{"DatabaseName":"intact","TableInput":{"Name":"limits_t",""" + member + "}}";
        var big = new string('d', 2049);
        (string Target, string Body, string Message)[] cases =
        [
            ("AWSGlue.CreateDatabase", Db($"\"Description\":\"{big}\""), "Database limits_db: Description has 2,049 characters; Glue allows at most 2,048"),
            ("AWSGlue.CreateDatabase", Db($"\"Description\":\"{new string('d', 10 * 1024 * 1024)}\""), "Glue allows at most 2,048"),
            ("AWSGlue.CreateDatabase", Db("\"Description\":\"nul \\u0000 inside\""), "contains U+0000"),
            ("AWSGlue.CreateDatabase", Db($"\"LocationUri\":\"{new string('l', 1025)}\""), "LocationUri has 1,025 characters"),
            ("AWSGlue.CreateDatabase", Db($"\"Parameters\":{{\"{new string('k', 256)}\":\"v\"}}"), "a Parameters key has 256 characters"),
            ("AWSGlue.CreateDatabase", Db("\"Parameters\":{\"k\\nkey\":\"v\"}"), "contains U+000A"),
            ("AWSGlue.CreateDatabase", Db("\"Parameters\":{\"\":\"v\"}"), "a Parameters key is empty"),
            ("AWSGlue.CreateDatabase", Db("\"Description\":\"lone \\ud800 surrogate\""), "DatabaseInput is malformed"),
            ("AWSGlue.CreateTable", Table($"\"Description\":\"{big}\""), "Table limits_t: Description has 2,049"),
            ("AWSGlue.CreateTable", Table($"\"StorageDescriptor\":{{\"Columns\":[{{\"Name\":\"c\",\"Type\":\"int\",\"Comment\":\"{new string('c', 256)}\"}}]}}"), "column 'c': Comment has 256 characters; Glue allows at most 255"),
            ("AWSGlue.CreateTable", Table("\"PartitionKeys\":[{\"Name\":\"p\",\"Type\":\"string\",\"Parameters\":{\"k\":\"\\u0001\"}}]"), "contains U+0001"),
            ("AWSGlue.CreateTable", Table("\"Retention\":-1"), "Retention must be 0 or more"),
            ("AWSGlue.CreateTable", Table($"\"Owner\":\"{new string('o', 256)}\""), "Owner has 256 characters"),
            ("AWSGlue.CreatePartition", $$$"""{"DatabaseName":"intact","TableName":"kept","PartitionInput":{"Values":["{{{new string('v', 1025)}}}"]}}""", "a value has 1,025 characters"),
            ("AWSGlue.CreateCrawler", $$$"""{"Name":"limits_c","DatabaseName":"intact","Description":"{{{big}}}","Targets":{"S3Targets":[{"Path":"in"}]}}""", "Crawler limits_c: Description has 2,049"),
        ];

        var results = await PostAllAsync([.. cases.Select(c => (c.Target, c.Body))]);

        for (var i = 0; i < cases.Length; i++)
        {
            AssertRefused(results[i], 400, "InvalidInputException", cases[i].Message, cases[i].Body[..Math.Min(120, cases[i].Body.Length)]);
        }
    }

    [Fact]
    public async Task Bodies_that_are_not_json_media_types_are_refused_with_an_aws_error()
    {
        await EnsureIntactAsync();
        var body = """{"DatabaseInput":{"Name":"by_content_type"}}""";
        var results = await PostAllAsync(
        [
            ("AWSGlue.CreateDatabase", body, "text/plain"),
            ("AWSGlue.CreateDatabase", body, "application/x-www-form-urlencoded"),
            ("AWSGlue.CreateDatabase", body, "application/xml"),
            ("AWSGlue.CreateDatabase", body, ""),
            ("AWSGlue.CreateDatabase", body, "application/json; charset=utf-8"),
        ]);

        for (var i = 0; i < 4; i++)
        {
            AssertRefused(results[i], 415, "UnsupportedMediaTypeException", "Content-Type must be application/x-amz-json-1.1", $"request {i}");
        }

        // application/json is accepted, as AWS accepts it.
        results[4].GetProperty("status").GetInt32().Should().Be(200, results[4].GetProperty("body").GetString());
    }

    [Fact]
    public async Task Crawlers_with_targets_outside_the_lake_or_invalid_schedules_are_refused_at_create_and_update()
    {
        await EnsureIntactAsync();
        string Crawler(string target, string schedule = "") =>
            $$$"""{"Name":"guarded","DatabaseName":"intact","Targets":{"S3Targets":[{"Path":"{{{target}}}"}]}""" + schedule + "}";
        var escape = server.LakeRoot + "/../../../../etc";
        (string Target, string Body, string Message)[] cases =
        [
            ("AWSGlue.CreateCrawler", Crawler("/etc"), "outside the lake root"),
            ("AWSGlue.CreateCrawler", Crawler(escape), "outside the lake root"),
            ("AWSGlue.CreateCrawler", Crawler("../outside"), "outside the lake root"),
            ("AWSGlue.CreateCrawler", Crawler("in", ",\"Schedule\":\"every tuesday lol\""), "Schedule 'every tuesday lol' is invalid"),
            ("AWSGlue.CreateCrawler", Crawler("in", ",\"Schedule\":\"cron(15 12 * * *)\""), "has 5 fields, not 6"),
            ("AWSGlue.CreateCrawler", Crawler("in", ",\"Schedule\":\"cron(15 12 * * * *)\""), "exactly one of Day-of-month and Day-of-week"),
            ("AWSGlue.CreateCrawler", Crawler("in", ",\"Schedule\":\"cron(61 12 * * ? *)\""), "is invalid"),
            ("AWSGlue.CreateCrawler", Crawler("in", ",\"Schedule\":\"cron(0 12 ? * 8 *)\""), "Day-of-week 8 is out of range"),
            ("AWSGlue.CreateCrawler", Crawler("in", ",\"Schedule\":\"cron(0 12 * * ? 1800)\""), "Year '1800' is invalid"),
            ("AWSGlue.UpdateCrawler", """{"Name":"kept_crawler","Targets":{"S3Targets":[{"Path":"/etc"}]}}""", "outside the lake root"),
            ("AWSGlue.UpdateCrawler", """{"Name":"kept_crawler","Schedule":"every tuesday lol"}""", "Schedule 'every tuesday lol' is invalid"),
        ];
        var valid = ("AWSGlue.CreateCrawler", Crawler("in/sub", ",\"Schedule\":\"cron(0/15 2-4 ? * MON-FRI,1 2026-2030)\""));

        var results = await PostAllAsync([.. cases.Select(c => (c.Target, c.Body)), valid]);

        for (var i = 0; i < cases.Length; i++)
        {
            AssertRefused(results[i], 400, "InvalidInputException", cases[i].Message, cases[i].Body);
        }

        results[^1].GetProperty("status").GetInt32().Should().Be(200, results[^1].GetProperty("body").GetString());
        (await server.Store.GetCrawlerAsync("guarded")).Schedule!.ScheduleExpression.Should().Be("cron(0/15 2-4 ? * MON-FRI,1 2026-2030)");
    }

    [Fact]
    public async Task GetPartitions_segments_split_the_partitions_so_each_is_read_once()
    {
        await server.Store.CreateDatabaseAsync(new Model.DatabaseInput { Name = "segmented" });
        await server.Store.CreateTableAsync("segmented", new Model.TableInput
        {
            Name = "events",
            PartitionKeys = [new Model.Column { Name = "dt", Type = "string" }, new Model.Column { Name = "hour", Type = "int" }],
        });
        var all = Enumerable.Range(0, 40).Select(i => $"2026-11-{1 + i / 4:00}/{i % 4}").ToList();
        await server.Store.BatchCreatePartitionAsync("segmented", "events",
            [.. all.Select(v => new Model.PartitionInput { Values = [.. v.Split('/')] })]);

        // boto3 (botocore's model of GetPartitions) sends the segments; pages of 3 make each segment page too.
        var output = await server.Boto3Async("""
            result = {}
            for total in (1, 2, 3, 10):
                segments = []
                for number in range(total):
                    values, token = [], None
                    while True:
                        args = dict(DatabaseName="segmented", TableName="events", MaxResults=3,
                                    Segment={"SegmentNumber": number, "TotalSegments": total})
                        if token: args["NextToken"] = token
                        page = glue.get_partitions(**args)
                        values += ["/".join(p["Values"]) for p in page["Partitions"]]
                        token = page.get("NextToken")
                        if not token: break
                    segments.append(values)
                result[str(total)] = segments
            errors = []
            for segment in ({"SegmentNumber": 2, "TotalSegments": 2}, {"SegmentNumber": 0, "TotalSegments": 11},
                            {"SegmentNumber": 0, "TotalSegments": 0}):
                try:
                    glue.get_partitions(DatabaseName="segmented", TableName="events", Segment=segment)
                    errors.append("accepted")
                except glue.exceptions.InvalidInputException as e:
                    errors.append(e.response["Error"]["Message"])
                except Exception as e:
                    errors.append(type(e).__name__ + ": " + str(e))
            result["errors"] = errors
            print(json.dumps(result))
            """);
        var result = JsonDocument.Parse(output).RootElement;

        foreach (var total in new[] { 1, 2, 3, 10 })
        {
            var segments = result.GetProperty(total.ToString(System.Globalization.CultureInfo.InvariantCulture)).EnumerateArray()
                .Select(s => s.EnumerateArray().Select(v => v.GetString()!).ToList()).ToList();
            segments.Should().HaveCount(total);
            segments.SelectMany(s => s).Should().BeEquivalentTo(all, $"the {total} segments together hold every partition exactly once");
            if (total > 1)
            {
                segments.Should().OnlyContain(s => s.Count < all.Count, $"each of {total} segments holds only part of the partitions");
            }
        }

        // Out-of-range numbers are refused (botocore itself refuses TotalSegments 0 before sending).
        var errors = result.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
        errors[0].Should().Be("SegmentNumber must be from 0 to 1, got 2.");
        errors[1].Should().Be("TotalSegments must be from 1 to 10, got 11.");
        errors[2].Should().NotBe("accepted");
    }

    private async Task EnsureIntactAsync()
    {
        if ((await server.Store.GetDatabasesAsync(0, 100)).Items.Any(d => d.Name == "intact"))
        {
            return;
        }

        await server.Store.CreateDatabaseAsync(new Model.DatabaseInput { Name = "intact" });
        await server.Store.CreateTableAsync("intact", new Model.TableInput
        {
            Name = "kept",
            PartitionKeys = [new Model.Column { Name = "k", Type = "string" }],
        });
        await server.Store.CreateCrawlerAsync(new Model.CrawlerInput
        {
            Name = "kept_crawler",
            DatabaseName = "intact",
            Targets = new Model.CrawlerTargets { S3Targets = [new Model.S3Target { Path = "kept" }] },
        });
    }

    private static void AssertRefused(JsonElement result, int status, string type, string message, string because)
    {
        result.GetProperty("status").GetInt32().Should().Be(status, because);
        var error = JsonDocument.Parse(result.GetProperty("body").GetString()!).RootElement;
        error.GetProperty("__type").GetString().Should().Be(type, because);
        error.GetProperty("Message").GetString().Should().Contain(message, because);
        result.GetProperty("before").GetString().Should().Be(result.GetProperty("after").GetString(), "a refused request stores nothing: " + because);
    }

    /// <summary>
    /// POSTs each body unchanged, SigV4-signed by botocore (the independent signer), and around each takes a
    /// snapshot of every database, table, partition and crawler through GetDatabases/GetTables/GetPartitions/GetCrawlers.
    /// </summary>
    private Task<JsonElement[]> PostAllAsync(IReadOnlyList<(string Target, string Body)> requests) =>
        PostAllAsync([.. requests.Select(r => (r.Target, r.Body, "application/x-amz-json-1.1"))]);

    private async Task<JsonElement[]> PostAllAsync(IReadOnlyList<(string Target, string Body, string ContentType)> requests)
    {
        var output = await Streams.Testing.ExternalTool.RunAsync(Streams.Testing.ExternalTool.Python, ["-c", """
            import json, sys, urllib.request, urllib.error
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            url, key, secret = sys.argv[1:4]
            credentials = Credentials(key, secret)

            def post(target, body, content_type="application/x-amz-json-1.1"):
                body = body.encode()
                request = AWSRequest(method="POST", url=url, data=body,
                    headers={"X-Amz-Target": target, "Content-Type": content_type})
                SigV4Auth(credentials, "glue", "us-east-1").add_auth(request)
                headers = dict(request.prepare().headers)
                try:
                    with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers, method="POST")) as r:
                        return r.status, r.read().decode()
                except urllib.error.HTTPError as e:
                    return e.code, e.read().decode()

            def call(target, payload):
                status, text = post("AWSGlue." + target, json.dumps(payload))
                assert status == 200, text
                return json.loads(text)

            def snapshot():
                out = []
                for d in call("GetDatabases", {})["DatabaseList"]:
                    out.append(json.dumps(d, sort_keys=True))
                    for t in call("GetTables", {"DatabaseName": d["Name"]})["TableList"]:
                        out.append(json.dumps(t, sort_keys=True))
                        parts = call("GetPartitions", {"DatabaseName": d["Name"], "TableName": t["Name"]})["Partitions"]
                        out.extend(json.dumps(p, sort_keys=True) for p in parts)
                out.extend(json.dumps(c, sort_keys=True) for c in call("GetCrawlers", {})["Crawlers"])
                return "\n".join(out)

            results = []
            for target, body, content_type in json.load(sys.stdin):
                before = snapshot()
                status, text = post(target, body, content_type)
                results.append({"status": status, "body": text, "before": before, "after": snapshot()})
            print(json.dumps(results))
            """, server.Url + "/", GlueApiServer.AccessKey, GlueApiServer.SecretKey],
            stdin: JsonSerializer.Serialize(requests.Select(r => new[] { r.Target, r.Body, r.ContentType })));
        return [.. JsonDocument.Parse(output).RootElement.Clone().EnumerateArray()];
    }
}
