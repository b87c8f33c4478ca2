using System.Text.Json.Nodes;
using static Streams.Registry.Tests.AvroSchemas;

namespace Streams.Registry.Tests;

/// <summary>The REST API's paths, bodies, content types and error codes, over HTTP against PostgreSQL.</summary>
public sealed class RegistryApiTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private readonly HttpClient _http = server.Http;

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Answers_use_the_registry_content_type_unless_plain_json_is_asked()
    {
        var subject = Unique("ct");
        await _http.RegisterAsync(subject, Record("A", Field("x", "int")));
        (await _http.GetJsonAsync($"subjects/{subject}/versions")).ContentType.Should().Be("application/vnd.schemaregistry.v1+json");
        var plain = await _http.SendAsync(HttpMethod.Get, $"subjects/{subject}/versions", accept: "application/json");
        plain.ContentType.Should().Be("application/json");
        plain.Body!.AsArray().Select(v => v!.GetValue<int>()).Should().Equal(1);

        var asJson = await _http.SendAsync(HttpMethod.Post, $"subjects/{subject}/versions",
            new { schema = Record("A", Field("x", "int")) }, contentType: "application/json");
        asJson.Status.Should().Be(200);
        (await _http.SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", "schema", contentType: "text/plain"))
            .ShouldBeError(415, 415);
        (await _http.SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", "{not json")).Status.Should().Be(400);
    }

    [Fact]
    public async Task Register_returns_the_same_id_and_version_for_the_same_schema_and_shares_ids_across_subjects()
    {
        var subject = Unique("same");
        var compact = Record("com.acme.Same", Field("id", "long"));
        var spaced = "{ \"name\": \"com.acme.Same\", \"type\": \"record\",\n \"fields\": [ {\"type\": {\"type\": \"long\"}, \"name\": \"id\"} ] }";
        var id = await _http.RegisterAsync(subject, compact);
        (await _http.RegisterAsync(subject, spaced)).Should().Be(id);
        (await _http.GetJsonAsync($"subjects/{subject}/versions")).Body!.AsArray().Should().HaveCount(1);
        (await _http.RegisterAsync(Unique("other"), spaced)).Should().Be(id);

        var lookedUp = await _http.PostJsonAsync($"subjects/{subject}", new { schema = spaced });
        lookedUp.Status.Should().Be(200);
        lookedUp.Body!["id"]!.GetValue<int>().Should().Be(id);
        lookedUp.Body!["version"]!.GetValue<int>().Should().Be(1);
        lookedUp.Body!["subject"]!.GetValue<string>().Should().Be(subject);
        lookedUp.Body!["schema"]!.GetValue<string>().Should().Be(compact, "the text registered first is the one kept");
    }

    [Fact]
    public async Task Versions_schemas_and_ids_are_readable_in_every_shape()
    {
        var subject = Unique("shapes");
        var v1 = Record("Shapes", Field("a", "int"));
        var v2 = Record("Shapes", Field("a", "int"), Field("b", "string", "x"));
        var id1 = await _http.RegisterAsync(subject, v1);
        var id2 = await _http.RegisterAsync(subject, v2);

        var latest = (await _http.GetJsonAsync($"subjects/{subject}/versions/latest")).Body!;
        latest["subject"]!.GetValue<string>().Should().Be(subject);
        latest["id"]!.GetValue<int>().Should().Be(id2);
        latest["version"]!.GetValue<int>().Should().Be(2);
        latest["schema"]!.GetValue<string>().Should().Be(v2);
        latest.AsObject().ContainsKey("schemaType").Should().BeFalse("AVRO is implied, as in Confluent's answers");
        (await _http.GetJsonAsync($"subjects/{subject}/versions/-1")).Body!["version"]!.GetValue<int>().Should().Be(2);
        (await _http.GetJsonAsync($"subjects/{subject}/versions/1")).Body!["id"]!.GetValue<int>().Should().Be(id1);

        var raw = await _http.GetJsonAsync($"subjects/{subject}/versions/1/schema");
        JsonNode.DeepEquals(raw.Body, JsonNode.Parse(v1)).Should().BeTrue();
        var byId = (await _http.GetJsonAsync($"schemas/ids/{id2}")).Body!;
        byId["schema"]!.GetValue<string>().Should().Be(v2);
        JsonNode.DeepEquals((await _http.GetJsonAsync($"schemas/ids/{id2}/schema")).Body, JsonNode.Parse(v2)).Should().BeTrue();
        (await _http.GetJsonAsync($"schemas/ids/{id1}/subjects")).Body!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal(subject);
        var versions = (await _http.GetJsonAsync($"schemas/ids/{id1}/versions")).Body!.AsArray();
        versions.Should().ContainSingle();
        versions[0]!["subject"]!.GetValue<string>().Should().Be(subject);
        versions[0]!["version"]!.GetValue<int>().Should().Be(1);
        (await _http.GetJsonAsync("schemas/types")).Body!.AsArray().Select(t => t!.GetValue<string>()).Should().Contain("AVRO");
        (await _http.GetJsonAsync("subjects")).Body!.AsArray().Select(s => s!.GetValue<string>()).Should().Contain(subject);
        (await _http.GetJsonAsync($"subjects?subjectPrefix={subject}")).Body!.AsArray().Select(s => s!.GetValue<string>())
            .Should().Equal(subject);
    }

    [Fact]
    public async Task Schemas_lists_versions_by_prefix_and_latest_only()
    {
        var prefix = Unique("list");
        var id1 = await _http.RegisterAsync(prefix + "-a", Record("L", Field("a", "int")));
        var id2 = await _http.RegisterAsync(prefix + "-a", Record("L", Field("a", "int"), Field("b", "int", 0)));
        var id3 = await _http.RegisterAsync(prefix + "-b", Record("M", Field("a", "int")));
        var all = (await _http.GetJsonAsync($"schemas?subjectPrefix={prefix}")).Body!.AsArray();
        all.Select(s => (s!["subject"]!.GetValue<string>(), s["version"]!.GetValue<int>(), s["id"]!.GetValue<int>()))
            .Should().Equal((prefix + "-a", 1, id1), (prefix + "-a", 2, id2), (prefix + "-b", 1, id3));
        var latest = (await _http.GetJsonAsync($"schemas?subjectPrefix={prefix}&latestOnly=true")).Body!.AsArray();
        latest.Select(s => s!["id"]!.GetValue<int>()).Should().Equal(id2, id3);
    }

    [Fact]
    public async Task Unknown_paths_answer_with_an_error_body()
    {
        (await _http.GetJsonAsync("no/such/path")).ShouldBeError(404, 404);
    }

    [Fact]
    public async Task Errors_carry_confluent_codes()
    {
        var subject = Unique("errors");
        await _http.RegisterAsync(subject, Record("E", Field("a", "int")));
        (await _http.GetJsonAsync($"subjects/{Unique("missing")}/versions")).ShouldBeError(404, 40401);
        (await _http.GetJsonAsync($"subjects/{Unique("missing")}/versions/latest")).ShouldBeError(404, 40401);
        (await _http.GetJsonAsync($"subjects/{subject}/versions/7")).ShouldBeError(404, 40402);
        (await _http.GetJsonAsync("schemas/ids/987654")).ShouldBeError(404, 40403);
        (await _http.PostJsonAsync($"subjects/{subject}", new { schema = Record("E", Field("a", "long")) })).ShouldBeError(404, 40403);
        (await _http.GetJsonAsync($"subjects/{subject}/versions/abc")).ShouldBeError(422, 42202);
        (await _http.GetJsonAsync($"subjects/{subject}/versions/0")).ShouldBeError(422, 42202);
        (await _http.PostJsonAsync($"subjects/{subject}/versions", new { schema = "{\"type\": \"recor\"}" })).ShouldBeError(422, 42201);
        (await _http.PostJsonAsync($"subjects/{subject}/versions", new { schema = "not json" })).ShouldBeError(422, 42201);
        (await _http.PostJsonAsync($"subjects/{subject}/versions", new { schema = "\"int\"", schemaType = "XML" })).ShouldBeError(422, 42201);
        (await _http.PutJsonAsync($"config/{subject}", new { compatibility = "MOSTLY" })).ShouldBeError(422, 42203);
        (await _http.PutJsonAsync($"mode/{subject}", new { mode = "READMOSTLY" })).ShouldBeError(422, 42204);
        (await _http.PostJsonAsync($"subjects/{subject}/versions", new { schema = Record("E", Field("a", "string")) })).ShouldBeError(409, 409);
        (await _http.GetJsonAsync($"config/{subject}")).ShouldBeError(404, 40408);
        (await _http.GetJsonAsync($"mode/{subject}")).ShouldBeError(404, 40409);
        (await _http.DeleteJsonAsync($"config/{Unique("missing")}")).ShouldBeError(404, 40401);
    }

    [Fact]
    public async Task Soft_and_permanent_deletes_follow_confluent_rules()
    {
        var subject = Unique("del");
        var v1 = Record("D", Field("a", "int"));
        var v2 = Record("D", Field("a", "int"), Field("b", "int", 0));
        var v3 = Record("D", Field("a", "int"), Field("b", "int", 0), Field("c", "int", 0));
        var id1 = await _http.RegisterAsync(subject, v1);
        await _http.RegisterAsync(subject, v2);
        await _http.RegisterAsync(subject, v3);

        (await _http.DeleteJsonAsync($"subjects/{subject}/versions/2?permanent=true")).ShouldBeError(404, 40407);
        (await _http.DeleteJsonAsync($"subjects/{subject}/versions/2")).Body!.GetValue<int>().Should().Be(2);
        (await _http.DeleteJsonAsync($"subjects/{subject}/versions/2")).ShouldBeError(404, 40406);
        (await _http.GetJsonAsync($"subjects/{subject}/versions")).Body!.AsArray().Select(v => v!.GetValue<int>()).Should().Equal(1, 3);
        (await _http.GetJsonAsync($"subjects/{subject}/versions?deleted=true")).Body!.AsArray().Select(v => v!.GetValue<int>())
            .Should().Equal(1, 2, 3);
        (await _http.GetJsonAsync($"subjects/{subject}/versions/2")).ShouldBeError(404, 40402);
        (await _http.GetJsonAsync($"subjects/{subject}/versions/2?deleted=true")).Status.Should().Be(200);
        (await _http.DeleteJsonAsync($"subjects/{subject}/versions/2?permanent=true")).Body!.GetValue<int>().Should().Be(2);
        (await _http.GetJsonAsync($"subjects/{subject}/versions?deleted=true")).Body!.AsArray().Select(v => v!.GetValue<int>())
            .Should().Equal(1, 3);

        (await _http.DeleteJsonAsync($"subjects/{subject}?permanent=true")).ShouldBeError(404, 40405);
        (await _http.DeleteJsonAsync($"subjects/{subject}")).Body!.AsArray().Select(v => v!.GetValue<int>()).Should().Equal(1, 3);
        (await _http.DeleteJsonAsync($"subjects/{subject}")).ShouldBeError(404, 40404);
        (await _http.GetJsonAsync("subjects")).Body!.AsArray().Select(s => s!.GetValue<string>()).Should().NotContain(subject);
        (await _http.GetJsonAsync("subjects?deleted=true")).Body!.AsArray().Select(s => s!.GetValue<string>()).Should().Contain(subject);
        (await _http.GetJsonAsync($"schemas/ids/{id1}")).Status.Should().Be(200, "soft-deleted schemas stay readable by id");
        (await _http.PostJsonAsync($"subjects/{subject}?deleted=true", new { schema = v1 })).Body!["version"]!.GetValue<int>().Should().Be(1);

        // Registering again after a soft delete gives a new version after the deleted ones, with the same id.
        var again = await _http.RegisterAsync(subject, v1);
        again.Should().Be(id1);
        (await _http.GetJsonAsync($"subjects/{subject}/versions")).Body!.AsArray().Select(v => v!.GetValue<int>()).Should().Equal(4);

        (await _http.DeleteJsonAsync($"subjects/{subject}")).Status.Should().Be(200);
        (await _http.DeleteJsonAsync($"subjects/{subject}?permanent=true")).Body!.AsArray().Select(v => v!.GetValue<int>())
            .Should().Equal(1, 3, 4);
        (await _http.GetJsonAsync($"subjects/{subject}/versions?deleted=true")).ShouldBeError(404, 40401);
        (await _http.GetJsonAsync($"schemas/ids/{id1}")).ShouldBeError(404, 40403);
        (await _http.RegisterAsync(subject, v1)).Should().Be(id1, "ids are stable: a schema keeps its id");
        (await _http.GetJsonAsync($"subjects/{subject}/versions")).Body!.AsArray().Select(v => v!.GetValue<int>()).Should().Equal(1);
    }

    [Fact]
    public async Task Compatibility_tests_answer_per_version_and_verbosely()
    {
        var subject = Unique("compat");
        await _http.RegisterAsync(subject, Record("C", Field("a", "int")));
        var good = new { schema = Record("C", Field("a", "long")) };
        var bad = new { schema = Record("C", Field("a", "int"), Field("b", "string")) };
        (await _http.PostJsonAsync($"compatibility/subjects/{subject}/versions/latest", good)).Body!["is_compatible"]!.GetValue<bool>()
            .Should().BeTrue();
        var verdict = (await _http.PostJsonAsync($"compatibility/subjects/{subject}/versions/1?verbose=true", bad)).Body!;
        verdict["is_compatible"]!.GetValue<bool>().Should().BeFalse();
        verdict["messages"]!.AsArray().Should().NotBeEmpty();
        verdict["messages"]![0]!.GetValue<string>().Should().Contain("b");
        (await _http.PostJsonAsync($"compatibility/subjects/{subject}/versions/1", bad)).Body!.AsObject().ContainsKey("messages")
            .Should().BeFalse();
        (await _http.PostJsonAsync($"compatibility/subjects/{subject}/versions", bad)).Body!["is_compatible"]!.GetValue<bool>()
            .Should().BeFalse();
        (await _http.PostJsonAsync($"compatibility/subjects/{subject}/versions/9", good)).ShouldBeError(404, 40402);
        (await _http.PostJsonAsync($"compatibility/subjects/{Unique("new")}/versions/latest", good)).Body!["is_compatible"]!
            .GetValue<bool>().Should().BeTrue("a subject without versions accepts anything");
    }

    [Fact]
    public async Task Config_is_global_or_per_subject()
    {
        var subject = Unique("cfg");
        await _http.RegisterAsync(subject, Record("G", Field("a", "int")));
        (await _http.GetJsonAsync($"config/{subject}?defaultToGlobal=true")).Body!["compatibilityLevel"]!.GetValue<string>()
            .Should().Be("BACKWARD");
        var put = await _http.PutJsonAsync($"config/{subject}", new { compatibility = "forward_transitive" });
        put.Body!["compatibility"]!.GetValue<string>().Should().Be("FORWARD_TRANSITIVE");
        (await _http.GetJsonAsync($"config/{subject}")).Body!["compatibilityLevel"]!.GetValue<string>().Should().Be("FORWARD_TRANSITIVE");
        (await _http.DeleteJsonAsync($"config/{subject}")).Body!["compatibilityLevel"]!.GetValue<string>().Should().Be("FORWARD_TRANSITIVE");
        (await _http.GetJsonAsync($"config/{subject}")).ShouldBeError(404, 40408);
        (await _http.GetJsonAsync("config")).Body!["compatibilityLevel"]!.GetValue<string>().Should().Be("BACKWARD");
    }

    [Fact]
    public async Task Read_only_mode_refuses_writes_and_import_mode_takes_ids()
    {
        var locked = Unique("ro");
        await _http.RegisterAsync(locked, Record("R", Field("a", "int")));
        (await _http.PutJsonAsync($"mode/{locked}", new { mode = "READONLY" })).Body!["mode"]!.GetValue<string>().Should().Be("READONLY");
        (await _http.GetJsonAsync($"mode/{locked}")).Body!["mode"]!.GetValue<string>().Should().Be("READONLY");
        (await _http.PostJsonAsync($"subjects/{locked}/versions", new { schema = Record("R", Field("a", "long")) })).ShouldBeError(422, 42205);
        (await _http.DeleteJsonAsync($"subjects/{locked}")).ShouldBeError(422, 42205);
        (await _http.GetJsonAsync($"mode/{Unique("x")}?defaultToGlobal=true")).Body!["mode"]!.GetValue<string>().Should().Be("READWRITE");
        (await _http.DeleteJsonAsync($"mode/{locked}")).Body!["mode"]!.GetValue<string>().Should().Be("READONLY");
        (await _http.RegisterAsync(locked, Record("R", Field("a", "long")))).Should().BePositive();

        // IMPORT needs an empty subject (or force), then keeps the ids and versions given.
        (await _http.PutJsonAsync($"mode/{locked}", new { mode = "IMPORT" })).ShouldBeError(422, 42205);
        var imported = Unique("import");
        (await _http.PutJsonAsync($"mode/{imported}", new { mode = "IMPORT" })).Status.Should().Be(200);
        var schema = Record("Imported", Field("a", "int"));
        var answer = await _http.PostJsonAsync($"subjects/{imported}/versions", new { schema, id = 5000, version = 7 });
        answer.Status.Should().Be(200, answer.Body?.ToJsonString());
        answer.Body!["id"]!.GetValue<int>().Should().Be(5000);
        var got = (await _http.GetJsonAsync($"subjects/{imported}/versions/latest")).Body!;
        got["version"]!.GetValue<int>().Should().Be(7);
        got["id"]!.GetValue<int>().Should().Be(5000);
        (await _http.PostJsonAsync($"subjects/{imported}/versions", new { schema = Record("Other", Field("a", "int")), id = 5000 }))
            .ShouldBeError(422, 42205);
        (await _http.PutJsonAsync($"mode/{imported}", new { mode = "READWRITE" })).Status.Should().Be(200);
        (await _http.PostJsonAsync($"subjects/{imported}/versions", new { schema = Record("Other", Field("a", "int")), id = 6000 }))
            .ShouldBeError(422, 42205);
        var next = await _http.RegisterAsync(Unique("after"), Record("After", Field("z", "int")));
        next.Should().BeGreaterThan(5000, "ids assigned later come after imported ones");
    }

    [Fact]
    public async Task References_resolve_named_types_from_other_subjects()
    {
        var addressSubject = Unique("address");
        var address = "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"com.acme\",\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}";
        var addressId = await _http.RegisterAsync(addressSubject, address);
        var customer = "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"com.acme\",\"fields\":[{\"name\":\"home\",\"type\":\"com.acme.Address\"}]}";
        var references = new[] { new { name = "com.acme.Address", subject = addressSubject, version = 1 } };

        (await _http.PostJsonAsync($"subjects/{Unique("customer")}/versions", new { schema = customer })).ShouldBeError(422, 42201);
        var customerSubject = Unique("customer");
        var customerId = await _http.RegisterAsync(customerSubject, customer, references);
        customerId.Should().NotBe(addressId);
        var got = (await _http.GetJsonAsync($"subjects/{customerSubject}/versions/1")).Body!;
        got["references"]![0]!["name"]!.GetValue<string>().Should().Be("com.acme.Address");
        got["references"]![0]!["subject"]!.GetValue<string>().Should().Be(addressSubject);
        got["references"]![0]!["version"]!.GetValue<int>().Should().Be(1);
        (await _http.GetJsonAsync($"schemas/ids/{customerId}")).Body!["references"]!.AsArray().Should().HaveCount(1);
        (await _http.GetJsonAsync($"subjects/{addressSubject}/versions/1/referencedby")).Body!.AsArray()
            .Select(i => i!.GetValue<int>()).Should().Equal(customerId);
        (await _http.DeleteJsonAsync($"subjects/{addressSubject}/versions/1")).ShouldBeError(422, 42206);
        (await _http.DeleteJsonAsync($"subjects/{addressSubject}")).ShouldBeError(422, 42206);
        (await _http.PostJsonAsync($"subjects/{customerSubject}", new { schema = customer, references })).Body!["id"]!.GetValue<int>()
            .Should().Be(customerId);
    }

    [Fact]
    public async Task Normalize_registers_the_normalized_form()
    {
        var subject = Unique("norm");
        var verbose = "{ \"fields\": [ {\"name\": \"n\", \"type\": {\"type\": \"int\"}} ], \"type\": \"record\", \"name\": \"N\" }";
        var answer = await _http.PostJsonAsync($"subjects/{subject}/versions?normalize=true", new { schema = verbose });
        answer.Status.Should().Be(200);
        var stored = (await _http.GetJsonAsync($"subjects/{subject}/versions/1")).Body!["schema"]!.GetValue<string>();
        stored.Should().NotBe(verbose);
        stored.Should().NotContain(" ");
        JsonNode.Parse(stored)!["fields"]![0]!["type"]!.GetValue<string>().Should().Be("int");
    }

    [Fact]
    public async Task Subjects_may_contain_encoded_slashes()
    {
        var subject = Unique("team/orders");
        var id = await _http.RegisterAsync(subject, Record("Slash", Field("a", "int")));
        var got = (await _http.GetJsonAsync($"subjects/{Uri.EscapeDataString(subject)}/versions/latest")).Body!;
        got["subject"]!.GetValue<string>().Should().Be(subject);
        got["id"]!.GetValue<int>().Should().Be(id);
    }
}
