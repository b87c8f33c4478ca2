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
        await server.Store.CreateDatabaseAsync(new Model.DatabaseInput { Name = "intact" });
        await server.Store.CreateTableAsync("intact", new Model.TableInput
        {
            Name = "kept",
            PartitionKeys = [new Model.Column { Name = "k", Type = "string" }],
        });
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

    /// <summary>
    /// POSTs each body unchanged, SigV4-signed by botocore (the independent signer), and around each takes a
    /// snapshot of every database, table, partition and crawler through GetDatabases/GetTables/GetPartitions/GetCrawlers.
    /// </summary>
    private async Task<JsonElement[]> PostAllAsync(IReadOnlyList<(string Target, string Body)> requests)
    {
        var output = await Streams.Testing.ExternalTool.RunAsync(Streams.Testing.ExternalTool.Python, ["-c", """
            import json, sys, urllib.request, urllib.error
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            url, key, secret = sys.argv[1:4]
            credentials = Credentials(key, secret)

            def post(target, body):
                body = body.encode()
                request = AWSRequest(method="POST", url=url, data=body,
                    headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"})
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
            for target, body in json.load(sys.stdin):
                before = snapshot()
                status, text = post(target, body)
                results.append({"status": status, "body": text, "before": before, "after": snapshot()})
            print(json.dumps(results))
            """, server.Url + "/", GlueApiServer.AccessKey, GlueApiServer.SecretKey],
            stdin: JsonSerializer.Serialize(requests.Select(r => new[] { r.Target, r.Body })));
        return [.. JsonDocument.Parse(output).RootElement.Clone().EnumerateArray()];
    }
}
