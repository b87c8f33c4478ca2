using System.Text.Json.Nodes;
using Npgsql;
using static Streams.Registry.Tests.AvroSchemas;

namespace Streams.Registry.Tests;

/// <summary>
/// Each kind of bad request gets its status and Confluent error code, and leaves every registry table exactly as
/// it was: no schema, version, reference, compatibility level or mode is written by a refused request.
/// </summary>
public sealed class BadRequestsStoreNothingTests(RegistryServer server) : IClassFixture<RegistryServer>, IAsyncLifetime
{
    private const string Subject = "orders-value";
    private readonly HttpClient _http = server.Http;

    public async Task InitializeAsync()
    {
        // A known state for every case: one subject with two versions and its own level, and another subject's mode
        // (on another subject: a subject's own mode would override the global one the read-only case sets).
        await _http.PutJsonAsync("config", new { compatibility = "BACKWARD" });
        await _http.DeleteJsonAsync("mode");
        if ((await _http.GetJsonAsync($"subjects/{Subject}/versions")).Status == 404)
        {
            await _http.RegisterAsync(Subject, Record("Order", Field("id", "long")));
            await _http.RegisterAsync(Subject, Record("Order", Field("id", "long"), Field("note", "string", "")));
            (await _http.PutJsonAsync($"config/{Subject}", new { compatibility = "FULL" })).Status.Should().Be(200);
            (await _http.PutJsonAsync("mode/audit-value", new { mode = "READWRITE" })).Status.Should().Be(200);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string, object?, int, int> BadRequests => new()
    {
        // Malformed JSON bodies.
        { "malformed register body", "POST", $"subjects/{Subject}/versions", "{\"schema\": ", 400, 400 },
        { "malformed register body, new subject", "POST", "subjects/new-subject/versions", "[1, 2", 400, 400 },
        { "malformed config body", "PUT", $"config/{Subject}", "{compatibility: NONE}", 400, 400 },
        { "malformed global config body", "PUT", "config", "{", 400, 400 },
        { "malformed mode body", "PUT", "mode", "not json", 400, 400 },
        // Invalid schemas.
        { "invalid Avro: unknown type", "POST", $"subjects/{Subject}/versions", new { schema = "{\"type\": \"recor\"}" }, 422, 42201 },
        { "invalid Avro: not JSON", "POST", "subjects/new-subject/versions", new { schema = "not json" }, 422, 42201 },
        { "invalid Avro: record without fields", "POST", "subjects/new-subject/versions", new { schema = "{\"type\":\"record\",\"name\":\"R\"}" }, 422, 42201 },
        { "invalid Avro: unknown named type", "POST", "subjects/new-subject/versions", new { schema = Record("R", Field("a", "com.acme.Missing")) }, 422, 42201 },
        { "invalid Avro: duplicate field", "POST", "subjects/new-subject/versions", new { schema = Record("R", Field("a", "int"), Field("a", "long")) }, 422, 42201 },
        { "unknown schema type", "POST", "subjects/new-subject/versions", new { schema = "\"int\"", schemaType = "XML" }, 422, 42201 },
        { "reference to an unknown subject", "POST", "subjects/new-subject/versions",
            new { schema = Record("C", Field("a", "com.acme.A")), references = new[] { new { name = "com.acme.A", subject = "nobody", version = 1 } } }, 422, 42201 },
        // Unknown subject, version and id.
        { "unknown subject", "GET", "subjects/nobody/versions", null, 404, 40401 },
        { "unknown subject, latest", "GET", "subjects/nobody/versions/latest", null, 404, 40401 },
        { "unknown subject, delete", "DELETE", "subjects/nobody", null, 404, 40401 },
        { "unknown subject, lookup", "POST", "subjects/nobody", new { schema = Record("Order", Field("id", "long")) }, 404, 40401 },
        { "unknown version", "GET", $"subjects/{Subject}/versions/3", null, 404, 40402 },
        { "unknown version, delete", "DELETE", $"subjects/{Subject}/versions/3", null, 404, 40402 },
        { "invalid version", "GET", $"subjects/{Subject}/versions/zero", null, 422, 42202 },
        { "unknown id", "GET", "schemas/ids/987654", null, 404, 40403 },
        { "unknown id, subjects", "GET", "schemas/ids/987654/subjects", null, 404, 40403 },
        // Invalid compatibility levels and modes.
        { "invalid subject compatibility level", "PUT", $"config/{Subject}", new { compatibility = "MOSTLY" }, 422, 42203 },
        { "invalid compatibility level, new subject", "PUT", "config/new-subject", new { compatibility = "backwards" }, 422, 42203 },
        { "invalid global compatibility level", "PUT", "config", new { compatibility = "SOMETIMES" }, 422, 42203 },
        { "invalid mode", "PUT", $"mode/{Subject}", new { mode = "READMOSTLY" }, 422, 42204 },
        // Wrong JSON types (Confluent's rest-utils maps Jackson's mapping errors to 400, error code 400).
        { "schema is a number", "POST", $"subjects/{Subject}/versions", "{\"schema\": 5}", 400, 400 },
        { "schema is an object", "POST", "subjects/new-subject/versions", "{\"schema\": {\"type\": \"string\"}}", 400, 400 },
        { "references is a string", "POST", "subjects/new-subject/versions", "{\"schema\": \"\\\"int\\\"\", \"references\": \"none\"}", 400, 400 },
        { "body is an array", "POST", $"subjects/{Subject}", "[]", 400, 400 },
        { "compatibility is a number", "PUT", $"config/{Subject}", "{\"compatibility\": 5}", 400, 400 },
        { "mode is a list", "PUT", "mode", "{\"mode\": [\"READONLY\"]}", 400, 400 },
        { "empty schema", "POST", "subjects/new-subject/versions", new { schema = "" }, 422, 42201 },
        // Limits: schema size and subject length.
        { "schema over 1 MiB", "POST", "subjects/new-subject/versions",
            new { schema = Record("Big", Field("a", "string")).Replace("\"a\"", "\"a\", \"doc\": \"" + new string('x', 1024 * 1024) + "\"", StringComparison.Ordinal) }, 422, 42201 },
        { "subject over 255 characters", "POST", $"subjects/{new string('s', 256)}/versions", new { schema = "\"int\"" }, 400, 400 },
        // Versions and ids out of range, odd subject names.
        { "version zero", "GET", $"subjects/{Subject}/versions/0", null, 422, 42202 },
        { "negative version", "GET", $"subjects/{Subject}/versions/-5", null, 422, 42202 },
        { "version past int", "GET", $"subjects/{Subject}/versions/99999999999", null, 422, 42202 },
        { "negative id", "GET", "schemas/ids/-1", null, 404, 40403 },
        { "unicode subject", "GET", "subjects/%C3%BCn%C3%AFc%C3%B8d%C3%A9-value/versions", null, 404, 40401 },
        { "injection-like subject", "GET", "subjects/x'%3B%20DROP%20TABLE%20registry.schemas%3B--/versions", null, 404, 40401 },
        { "injection-like subject, register", "POST", "subjects/x'%3B%20DROP%20TABLE%20registry.schemas%3B--/versions",
            new { schema = "{\"type\": \"recor\"}" }, 422, 42201 },
        // An incompatible schema under FULL.
        { "incompatible schema", "POST", $"subjects/{Subject}/versions", new { schema = Record("Order", Field("id", "string")) }, 409, 409 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_request_gets_its_error_code_and_stores_nothing(string what, string method, string path, object? body,
        int status, int errorCode)
    {
        var before = await SnapshotAsync();
        (await _http.SendAsync(new HttpMethod(method), path, body)).ShouldBeError(status, errorCode);
        (await SnapshotAsync()).Should().Equal(before, "refused request '{0}' must not change the registry", what);
    }

    [Theory]
    [InlineData("mode")]
    [InlineData($"mode/{Subject}")]
    public async Task Register_in_read_only_mode_is_refused_and_stores_nothing(string modePath)
    {
        (await _http.PutJsonAsync(modePath, new { mode = "READONLY" })).Status.Should().Be(200);
        try
        {
            var before = await SnapshotAsync();
            var schema = Record("Order", Field("id", "long"), Field("note", "string", ""), Field("qty", "int", 0));
            (await _http.PostJsonAsync($"subjects/{Subject}/versions", new { schema })).ShouldBeError(422, 42205);
            (await _http.DeleteJsonAsync($"subjects/{Subject}/versions/2")).ShouldBeError(422, 42205);
            (await _http.PutJsonAsync($"config/{Subject}", new { compatibility = "NONE" })).Status.Should().Be(200,
                "compatibility is configuration, which read-only mode does not lock");
            (await _http.PutJsonAsync($"config/{Subject}", new { compatibility = "FULL" })).Status.Should().Be(200);
            if (modePath == "mode")
            {
                (await _http.PostJsonAsync("subjects/new-subject/versions", new { schema })).ShouldBeError(422, 42205);
            }

            (await SnapshotAsync()).Should().Equal(before);
        }
        finally
        {
            if (modePath == "mode")
            {
                await _http.DeleteJsonAsync("mode");
            }
            else
            {
                await _http.DeleteJsonAsync(modePath);
            }
        }
    }

    /// <summary>Every row of every registry table (except the migration log), as text, table by table.</summary>
    private async Task<List<string>> SnapshotAsync()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'registry' AND table_name <> 'migrations' ORDER BY 1",
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        tables.Should().Contain(["schemas", "subject_versions", "compatibility", "modes"]);
        var rows = new List<string>();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM registry.{table} t ORDER BY 1", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(table + ": " + reader.GetString(0));
            }
        }

        return rows;
    }
}
