using System.Text.Json.Nodes;
using Confluent.SchemaRegistry;
using Streams.Testing;

namespace Streams.Host.Tests.Cli;

/// <summary>
/// The Glue Schema Registry API of a <c>streams dev</c> stack against the Confluent API of the same stack: boto3 on one
/// side; <c>streams registry</c> and Confluent's .NET client 2.16 on the other; and <c>streams produce --wire glue</c>
/// checked by kcat piping the raw messages to python, which fetches the schema by the header's UUID through boto3 and
/// decodes the body with python3-avro.
/// </summary>
public sealed class GlueSchemaRegistryCliTests(KafkaDevStack stack) : IClassFixture<KafkaDevStack>
{
    private const string ClickV1 = """{"type":"record","name":"Click","namespace":"web","fields":[{"name":"id","type":"long"},{"name":"page","type":"string"}]}""";
    private const string ClickV2 = """{"type":"record","name":"Click","namespace":"web","fields":[{"name":"id","type":"long"},{"name":"page","type":"string"},{"name":"ms","type":"int","default":0}]}""";
    private const string ClickBroken = """{"type":"record","name":"Click","namespace":"web","fields":[{"name":"id","type":"string"},{"name":"page","type":"string"}]}""";

    [Fact]
    public async Task A_schema_registered_either_way_is_read_the_other_way_with_the_same_compatibility_outcome()
    {
        var v1 = stack.File("click-v1.avsc", ClickV1);
        var v2 = stack.File("click-v2.avsc", ClickV2);
        var broken = stack.File("click-broken.avsc", ClickBroken);

        // boto3 registers: streams registry and Confluent's client read it under the subject of the same name.
        var fromGlue = JsonNode.Parse(await Boto3Async($$"""
            glue.create_registry(RegistryName="web")
            created = glue.create_schema(SchemaName="clicks", DataFormat="AVRO", Compatibility="BACKWARD", SchemaDefinition={{Py(ClickV1)}})
            glue.create_schema(RegistryId={"RegistryName": "web"}, SchemaName="views", DataFormat="AVRO", SchemaDefinition={{Py(ClickV1)}})
            refused = glue.register_schema_version(SchemaId={"SchemaName": "clicks"}, SchemaDefinition={{Py(ClickBroken)}})
            print(json.dumps({"version_id": created["SchemaVersionId"], "refused": refused["Status"]}))
            """))!;
        fromGlue["refused"]!.GetValue<string>().Should().Be("FAILURE");
        var get = await stack.StreamsAsync("registry", "get", "clicks");
        get.Exit.Should().Be(0, get.Err);
        get.Out.Should().StartWith("subject clicks version 1").And.Contain("\"page\"");
        (await stack.StreamsAsync("registry", "subjects")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().Contain(["clicks", "web.views"]);
        var check = await stack.StreamsAsync("registry", "check", "clicks", broken);
        check.Exit.Should().Be(1, "the schema Glue refused is incompatible through the Confluent API too: " + check.Out + check.Err);
        (await stack.StreamsAsync("registry", "check", "clicks", v2)).Exit.Should().Be(0);

        using var confluent = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = stack.RegistryUrl });
        var latest = await confluent.GetLatestSchemaAsync("clicks");
        latest.Version.Should().Be(1);
        Avro.Schema.Parse(latest.SchemaString).Should().BeEquivalentTo(Avro.Schema.Parse(ClickV1));
        (await confluent.IsCompatibleAsync("clicks", new Schema(ClickBroken, SchemaType.Avro))).Should().BeFalse();
        var registeredV2 = await confluent.RegisterSchemaAsync("clicks", new Schema(ClickV2, SchemaType.Avro));

        // Confluent's client and streams registry register: boto3 finds those versions by definition.
        (await stack.StreamsAsync("registry", "register", "orders-value", v1)).Exit.Should().Be(0);
        var fromConfluent = JsonNode.Parse(await Boto3Async($$"""
            out = {}
            out["versions"] = [v["VersionNumber"] for v in glue.list_schema_versions(SchemaId={"SchemaName": "clicks"})["Schemas"]]
            out["v2"] = glue.get_schema_version(SchemaVersionId=glue.get_schema_by_definition(SchemaId={"SchemaName": "clicks"},
                SchemaDefinition={{Py(ClickV2)}})["SchemaVersionId"])["VersionNumber"]
            orders = glue.get_schema(SchemaId={"SchemaName": "orders-value"})
            out["orders"] = [orders["RegistryName"], orders["DataFormat"], orders["Compatibility"], orders["LatestSchemaVersion"]]
            out["orders_by_definition"] = glue.get_schema_by_definition(SchemaId={"SchemaName": "orders-value"},
                SchemaDefinition={{Py(ClickV1)}})["Status"]
            out["orders_refused"] = glue.register_schema_version(SchemaId={"SchemaName": "orders-value"},
                SchemaDefinition={{Py(ClickBroken)}})["Status"]
            out["web_schemas"] = [s["SchemaName"] for s in glue.list_schemas(RegistryId={"RegistryName": "web"})["Schemas"]]
            glue.update_schema(SchemaId={"SchemaName": "orders-value"}, Compatibility="DISABLED")
            print(json.dumps(out))
            """))!;
        fromConfluent["versions"]!.ToJsonString().Should().Be("[1,2]");
        fromConfluent["v2"]!.GetValue<int>().Should().Be(2);
        fromConfluent["orders"]!.ToJsonString().Should().Be("""["default-registry","AVRO","BACKWARD",1]""");
        fromConfluent["orders_by_definition"]!.GetValue<string>().Should().Be("AVAILABLE");
        fromConfluent["orders_refused"]!.GetValue<string>().Should().Be("FAILURE");
        fromConfluent["web_schemas"]!.ToJsonString().Should().Be("""["views"]""");
        (await confluent.IsCompatibleAsync("orders-value", new Schema(ClickBroken, SchemaType.Avro))).Should().BeFalse();
        registeredV2.Should().BeGreaterThan(0);

        // DISABLED through Glue: the Confluent API takes no new version either.
        var disabled = await stack.StreamsAsync("registry", "register", "orders-value", v2);
        disabled.Exit.Should().NotBe(0);
        (disabled.Out + disabled.Err).Should().Contain("read-only");
    }

    [Theory]
    [InlineData("none", 0)]
    [InlineData("zlib", 5)]
    public async Task Produce_writes_Glues_wire_format_that_python_decodes_by_the_version_UUID(string compression, int compressionByte)
    {
        var topic = "glue-clicks-" + compression;
        (await stack.StreamsAsync("topics", "create", topic, "--partitions", "1")).Exit.Should().Be(0);
        var schema = stack.File("click.avsc", ClickV1);
        var file = stack.File("clicks.jsonl", """
            {"id":1,"page":"/home"}
            {"id":2,"page":"/cart"}
            {"id":3,"page":"/pay"}
            """);
        var produced = await stack.StreamsAsync("produce", topic, "--file", file, "--schema", schema, "--wire", "glue", "--compression", compression);
        produced.Exit.Should().Be(0, produced.Err);

        var decoder = stack.File("glue-decode.py", $$"""
            import io, json, sys, uuid, zlib
            import avro.io, avro.schema, boto3
            glue = boto3.client("glue", endpoint_url="{{stack.ApiUrl}}", region_name="us-east-1", aws_access_key_id="any", aws_secret_access_key="any")
            data, out, pos = sys.stdin.buffer.read(), [], 0
            while pos < len(data):
                end = data.index(b"\n", pos)
                size = int(data[pos:end]); pos = end + 1
                payload = data[pos:pos + size]; pos += size
                version_id = str(uuid.UUID(bytes=payload[2:18]))
                version = glue.get_schema_version(SchemaVersionId=version_id)
                body = zlib.decompress(payload[18:]) if payload[1] == 5 else payload[18:]
                record = avro.io.DatumReader(avro.schema.parse(version["SchemaDefinition"])).read(avro.io.BinaryDecoder(io.BytesIO(body)))
                out.append({"header": payload[0], "compression": payload[1], "version": version["VersionNumber"], "record": record})
            print(json.dumps(out))
            """);
        var decoded = JsonNode.Parse(await ExternalTool.RunAsync("bash",
            ["-c", $"kcat -C -b {stack.BootstrapServers} -t {topic} -o beginning -e -q -f '%S\\n%s' | {ExternalTool.Python} {decoder}"],
            timeout: TimeSpan.FromSeconds(60)))!.AsArray();
        decoded.Select(d => d!["header"]!.GetValue<int>()).Should().Equal(3, 3, 3);
        decoded.Select(d => d!["compression"]!.GetValue<int>()).Should().OnlyContain(c => c == compressionByte);
        decoded.Select(d => d!["version"]!.GetValue<int>()).Should().OnlyContain(v => v == 1);
        decoded.Select(d => d!["record"]!["page"]!.GetValue<string>()).Should().Equal("/home", "/cart", "/pay");

        var consumed = await stack.StreamsAsync("consume", topic, "--from-beginning", "--limit", "3", "--timeout", "20");
        consumed.Exit.Should().Be(0, consumed.Err);
        consumed.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["id"]!.GetValue<long>())
            .Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task Compression_without_the_glue_wire_format_is_a_usage_error()
    {
        var result = await stack.StreamsAsync("produce", "t", "--file", stack.File("x.jsonl", "{}"), "--compression", "zlib");
        result.Exit.Should().Be(2);
        result.Err.Should().Contain("--compression zlib needs --wire glue");
    }

    private static string Py(string json) => System.Text.Json.JsonSerializer.Serialize(json);

    private Task<string> Boto3Async(string script) =>
        ExternalTool.RunAsync(ExternalTool.Python, ["-c", $$"""
            import boto3, json
            glue = boto3.client("glue", endpoint_url="{{stack.ApiUrl}}", region_name="us-east-1",
                aws_access_key_id="any", aws_secret_access_key="any")
            """ + "\n" + script], timeout: TimeSpan.FromSeconds(60));
}
