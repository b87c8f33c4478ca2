namespace Streams.Registry.Tests;

/// <summary>JSON Schema as a second schema type: registration, validation and basic compatibility.</summary>
public sealed class JsonSchemaTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private const string Person =
        """{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name"],"additionalProperties":false}""";

    private static string Subject() => $"json-{Guid.NewGuid():N}";

    private Task<(int Id, int Version)> RegisterAsync(string subject, string schema, IReadOnlyList<SchemaReference>? references = null) =>
        server.Registry.RegisterAsync(subject, new SchemaSubmission(schema, "JSON", references));

    private Task<IReadOnlyList<string>> CheckAsync(string subject, string schema) =>
        server.Registry.TestCompatibilityAsync(subject, null, new SchemaSubmission(schema, "JSON"));

    [Fact]
    public async Task Registers_over_http_with_the_schema_type_echoed()
    {
        var subject = Subject();
        var (status, body, _) = await server.Http.PostJsonAsync($"subjects/{subject}/versions", new { schema = Person, schemaType = "JSON" });
        status.Should().Be(200, body?.ToJsonString());
        var id = body!["id"]!.GetValue<int>();
        var got = (await server.Http.GetJsonAsync($"subjects/{subject}/versions/1")).Body!;
        got["schemaType"]!.GetValue<string>().Should().Be("JSON");
        (await server.Http.GetJsonAsync($"schemas/ids/{id}")).Body!["schemaType"]!.GetValue<string>().Should().Be("JSON");
        (await server.Http.GetJsonAsync("schemas/types")).Body!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("AVRO", "JSON");

        // Key order and whitespace do not make a new schema; the type is part of identity.
        var reordered = """{ "additionalProperties": false, "required": ["name"], "properties": {"age": {"type": "integer"}, "name": {"type": "string"}}, "type": "object" }""";
        (await RegisterAsync(subject, reordered)).Should().Be((id, 1));
        (await server.Registry.RegisterAsync(Subject(), new SchemaSubmission("\"string\"", "AVRO"))).Id.Should().NotBe(id);
    }

    [Theory]
    [InlineData("[1, 2]", "#: a schema must be an object or a boolean")]
    [InlineData("""{"type":"text"}""", "#/type")]
    [InlineData("""{"properties":{"a":{"type":5}}}""", "#/properties/a/type")]
    [InlineData("""{"required":"a"}""", "#/required")]
    [InlineData("""{"minLength":-1}""", "#/minLength")]
    [InlineData("""{"pattern":"(unclosed"}""", "#/pattern")]
    [InlineData("""{"$ref":"#/definitions/missing"}""", "#/$ref")]
    [InlineData("""{"anyOf":[]}""", "#/anyOf")]
    [InlineData("{not json", "not JSON")]
    public async Task Invalid_schemas_fail_with_42201_naming_where(string schema, string where)
    {
        var failure = await FluentActions.Awaiting(() => RegisterAsync(Subject(), schema)).Should().ThrowAsync<SchemaRegistryException>();
        failure.Which.ErrorCode.Should().Be(42201);
        failure.Which.Message.Should().Contain(where);
    }

    public static TheoryData<string, string, bool> BackwardEvolutions => new()
    {
        // old (writer), new (reader), backward compatible: the new schema accepts every old document
        { """{"type":"integer"}""", """{"type":"number"}""", true },
        { """{"type":"number"}""", """{"type":"integer"}""", false },
        { """{"type":"string","maxLength":10}""", """{"type":"string","maxLength":20}""", true },
        { """{"type":"string","maxLength":20}""", """{"type":"string","maxLength":10}""", false },
        { """{"enum":["a","b"]}""", """{"enum":["a","b","c"]}""", true },
        { """{"enum":["a","b","c"]}""", """{"enum":["a","b"]}""", false },
        { Person, Person.Replace("\"required\":[\"name\"]", "\"required\":[\"name\",\"age\"]", StringComparison.Ordinal), false },
        { Person, Person.Replace("\"required\":[\"name\"]", "\"required\":[]", StringComparison.Ordinal), true },
        { Person, Person.Replace(",\"additionalProperties\":false", "", StringComparison.Ordinal), true },
        // closed writer: a property the reader adds can never appear in old documents
        { Person, Person.Replace("\"age\":{\"type\":\"integer\"}", "\"age\":{\"type\":\"integer\"},\"email\":{\"type\":\"string\"}", StringComparison.Ordinal), true },
        // open writer: old documents may hold anything under a property the reader now constrains
        { """{"type":"object","properties":{"a":{"type":"string"}}}""", """{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}}}""", false },
        { """{"type":"object","properties":{"a":{"type":"string"}}}""", """{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}""", false },
        { """{"type":"array","items":{"type":"integer"}}""", """{"type":"array","items":{"type":["integer","null"]}}""", true },
        { """{"type":"array","items":{"type":"string"}}""", """{"type":"array","items":{"type":"integer"}}""", false },
        { """{"anyOf":[{"type":"string"},{"type":"integer"}]}""", """{"anyOf":[{"type":"integer"},{"type":"string"},{"type":"null"}]}""", true },
        { """{"anyOf":[{"type":"string"},{"type":"integer"}]}""", """{"type":"string"}""", false },
        { """{"definitions":{"n":{"type":"integer"}},"$ref":"#/definitions/n"}""", """{"definitions":{"n":{"type":"number"}},"$ref":"#/definitions/n"}""", true },
        { """{"definitions":{"n":{"type":"number"}},"$ref":"#/definitions/n"}""", """{"definitions":{"n":{"type":"integer"}},"$ref":"#/definitions/n"}""", false },
    };

    [Theory]
    [MemberData(nameof(BackwardEvolutions))]
    public async Task Backward_compatibility_follows_what_documents_the_new_schema_accepts(string old, string @new, bool compatible)
    {
        var subject = Subject();
        await RegisterAsync(subject, old);
        var reasons = await CheckAsync(subject, @new);
        if (compatible)
        {
            reasons.Should().BeEmpty();
        }
        else
        {
            reasons.Should().NotBeEmpty();
        }
    }

    [Fact]
    public async Task Forward_and_full_levels_check_the_other_direction()
    {
        var subject = Subject();
        await RegisterAsync(subject, """{"type":"number"}""");
        await server.Registry.SetCompatibilityAsync(subject, CompatibilityLevel.Forward);
        (await CheckAsync(subject, """{"type":"integer"}""")).Should().BeEmpty();
        await server.Registry.SetCompatibilityAsync(subject, CompatibilityLevel.Full);
        (await CheckAsync(subject, """{"type":"integer"}""")).Should().NotBeEmpty();
        (await FluentActions.Awaiting(() => RegisterAsync(subject, """{"type":"integer"}""")).Should()
            .ThrowAsync<SchemaRegistryException>()).Which.ErrorCode.Should().Be(409);
    }

    [Fact]
    public async Task References_resolve_by_their_ref_name_and_recursive_schemas_terminate()
    {
        var addressSubject = Subject();
        await RegisterAsync(addressSubject, """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");
        var customer = """{"type":"object","properties":{"home":{"$ref":"address.json"}}}""";
        var references = new[] { new SchemaReference("address.json", addressSubject, 1) };
        (await FluentActions.Awaiting(() => RegisterAsync(Subject(), customer)).Should().ThrowAsync<SchemaRegistryException>())
            .Which.ErrorCode.Should().Be(42201);
        var subject = Subject();
        (await RegisterAsync(subject, customer, references)).Version.Should().Be(1);

        var tree = """{"definitions":{"node":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/definitions/node"}}}}},"$ref":"#/definitions/node"}""";
        var treeSubject = Subject();
        await RegisterAsync(treeSubject, tree);
        (await CheckAsync(treeSubject, tree)).Should().BeEmpty();
    }
}
