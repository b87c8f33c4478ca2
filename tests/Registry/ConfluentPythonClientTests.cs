using Streams.Testing;

namespace Streams.Registry.Tests;

/// <summary>
/// Confluent's own Python <c>SchemaRegistryClient</c> (Debian python3-confluent-kafka 1.7.0) against the
/// registry on Kestrel: every call's answer is asserted in the script.
/// </summary>
public sealed class ConfluentPythonClientTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private const string Script = """
        import json, sys
        from confluent_kafka.schema_registry import SchemaRegistryClient, Schema
        from confluent_kafka.schema_registry.error import SchemaRegistryError

        client = SchemaRegistryClient({"url": sys.argv[1]})

        def expect_error(code, call):
            try:
                call()
            except SchemaRegistryError as e:
                assert e.error_code == code, (code, e.error_code, e.error_message)
                return e
            raise AssertionError("expected error %d" % code)

        v1 = Schema(json.dumps({"type": "record", "name": "Order", "namespace": "com.acme",
                                "fields": [{"name": "id", "type": "long"}]}), "AVRO")
        v2 = Schema(json.dumps({"type": "record", "name": "Order", "namespace": "com.acme",
                                "fields": [{"name": "id", "type": "long"},
                                           {"name": "note", "type": ["null", "string"], "default": None}]}), "AVRO")
        bad = Schema(json.dumps({"type": "record", "name": "Order", "namespace": "com.acme",
                                 "fields": [{"name": "id", "type": "string"}]}), "AVRO")

        # Register, and register again: same id.
        id1 = client.register_schema("orders-value", v1)
        assert isinstance(id1, int) and id1 > 0
        assert SchemaRegistryClient({"url": sys.argv[1]}).register_schema("orders-value", v1) == id1

        # The same schema in another subject shares the id.
        assert client.register_schema("orders-copy", v1) == id1

        # Look up, get by id, latest, version, versions, subjects.
        found = client.lookup_schema("orders-value", v1)
        assert (found.schema_id, found.subject, found.version) == (id1, "orders-value", 1), found
        assert json.loads(found.schema.schema_str) == json.loads(v1.schema_str)
        by_id = SchemaRegistryClient({"url": sys.argv[1]}).get_schema(id1)
        assert by_id.schema_type == "AVRO" and json.loads(by_id.schema_str) == json.loads(v1.schema_str)

        # Compatibility: v2 adds an optional field (backward compatible), bad changes a type.
        assert client.get_compatibility() == "BACKWARD"
        assert client.test_compatibility("orders-value", v2) is True
        assert client.test_compatibility("orders-value", bad) is False
        assert client.test_compatibility("orders-value", v2, version=1) is True
        expect_error(409, lambda: client.register_schema("orders-value", bad))
        id2 = client.register_schema("orders-value", v2)
        assert id2 != id1
        latest = client.get_latest_version("orders-value")
        assert (latest.schema_id, latest.version, latest.subject) == (id2, 2, "orders-value")
        assert client.get_version("orders-value", 1).schema_id == id1
        assert client.get_versions("orders-value") == [1, 2]
        assert sorted(client.get_subjects()) == ["orders-copy", "orders-value"]

        # Config: global and per subject.
        client.set_compatibility(level="FULL")
        assert client.get_compatibility() == "FULL"
        client.set_compatibility("orders-value", "NONE")
        assert client.get_compatibility("orders-value") == "NONE"
        expect_error(42203, lambda: client.set_compatibility("orders-value", "SIDEWAYS"))
        assert client.register_schema("orders-value", bad) > 0
        assert client.get_versions("orders-value") == [1, 2, 3]

        # Errors.
        expect_error(40401, lambda: client.get_versions("nope"))
        expect_error(40402, lambda: client.get_version("orders-value", 42))
        expect_error(40403, lambda: SchemaRegistryClient({"url": sys.argv[1]}).get_schema(999999))
        expect_error(42201, lambda: client.register_schema("broken", Schema('{"type": "record"}', "AVRO")))
        expect_error(40403, lambda: client.lookup_schema("orders-copy", v2))

        # JSON Schema is the second schema type.
        person = Schema(json.dumps({"type": "object", "properties": {"name": {"type": "string"}}}), "JSON")
        json_id = client.register_schema("people-value", person)
        fetched = SchemaRegistryClient({"url": sys.argv[1]}).get_schema(json_id)
        assert fetched.schema_type == "JSON" and json.loads(fetched.schema_str) == json.loads(person.schema_str)
        assert client.lookup_schema("people-value", person).schema.schema_type == "JSON"
        assert client.delete_subject("people-value", permanent=True) == [1]

        # Soft delete a version, then the subject softly, then permanently.
        assert client.delete_version("orders-value", 3) == 3
        assert client.get_versions("orders-value") == [1, 2]
        expect_error(40402, lambda: client.get_version("orders-value", 3))
        assert client.delete_subject("orders-copy") == [1]
        assert client.get_subjects() == ["orders-value"]
        expect_error(40401, lambda: client.get_versions("orders-copy"))
        expect_error(40404, lambda: client.delete_subject("orders-copy"))
        assert client.delete_subject("orders-value", permanent=True) == [1, 2]
        assert client.get_subjects() == []
        expect_error(40401, lambda: client.delete_subject("orders-value"))
        print("OK")
        """;

    [Fact]
    public async Task Confluent_python_client_passes_its_calls()
    {
        var output = await ExternalTool.RunAsync(ExternalTool.Python, ["-c", Script, server.BaseUrl],
            timeout: TimeSpan.FromSeconds(60));
        output.Trim().Should().Be("OK");
    }
}
