using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Streams.Api.Query;
using Streams.Serving;
using Streams.Testing;

namespace Streams.Serving.Tests;

/// <summary><c>POST /query</c> on Kestrel against real PostgreSQL.</summary>
public sealed class QueryEndpointTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestWebServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        var connectionString = _database.ConnectionString;
        _server = await TestWebServer.StartAsync(builder => builder.Services.AddServingQuery(connectionString), app => app.MapQuery());
        _client = new HttpClient { BaseAddress = new Uri(_server.Url) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _database.DisposeAsync();
        await using var server = NpgsqlDataSource.Create(TestPostgres.ServerConnectionString);
        await using var drop = server.CreateCommand($"DROP ROLE IF EXISTS \"{ServingMigrations.ReaderRoleName(_database.Name)}\"");
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Answers_json_or_csv_and_refuses_writes_and_several_statements()
    {
        var response = await _client.PostAsJsonAsync("/query", new { sql = "SELECT 1 AS one, 'a,b' AS s" });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        json.GetProperty("rows")[0].GetProperty("one").GetInt32().Should().Be(1);
        json.GetProperty("columns")[1].GetProperty("type").GetString().Should().Be("text");
        json.GetProperty("truncated").GetBoolean().Should().BeFalse();

        var csv = await _client.PostAsync("/query?format=csv", new StringContent("SELECT 'a,b' AS s"));
        (await csv.Content.ReadAsStringAsync()).Should().Be("s\r\n\"a,b\"\r\n");

        foreach (var (sql, error) in new[]
                 {
                     ("CREATE TABLE evil (x int)", "The query path is read-only"),
                     ("SELECT 1; SELECT 2", "Only one SQL statement is allowed"),
                     ("SELECT * FROM pg_authid", "Permission denied"),
                 })
        {
            var refused = await _client.PostAsJsonAsync("/query", new { sql });
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString().Should().StartWith(error);
        }
    }

    [Theory]
    [InlineData("{\"sql\": ", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("\"SELECT 1\"", "must be a JSON object")]
    [InlineData("{\"sql\": 5}", "\"sql\" must be a string")]
    [InlineData("{\"sql\": [\"SELECT 1\"]}", "\"sql\" must be a string")]
    [InlineData("{\"sql\": \"SELECT 1\", \"format\": 7}", "\"format\" must be a string")]
    [InlineData("{}", "The request has no SQL")]
    public async Task Malformed_json_bodies_get_400_with_a_json_error(string body, string error)
    {
        var response = await _client.PostAsync("/query", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString().Should().Contain(error);
    }

    [Fact]
    public async Task A_query_past_the_statement_timeout_always_gets_the_same_400_naming_it()
    {
        // The client command timeout (1 s here, Npgsql's default 30 s equals the default statement timeout) used
        // to fire first and surface as a 500 with an empty body.
        var connectionString = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { CommandTimeout = 1 }.ConnectionString;
        await using var server = await TestWebServer.StartAsync(
            builder => builder.Services.AddServingQuery(connectionString, new Query.QueryOptions { Timeout = TimeSpan.FromSeconds(2) }),
            app => app.MapQuery());
        using var client = new HttpClient { BaseAddress = new Uri(server.Url) };

        foreach (var content in new HttpContent[]
                 {
                     JsonContent.Create(new { sql = "SELECT pg_sleep(10)" }),
                     new StringContent("SELECT pg_sleep(10)"),
                 })
        {
            var response = await client.PostAsync("/query", content);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()
                .Should().Be("The query was cancelled after the 2 s statement timeout.");
        }
    }

    [Fact]
    public async Task Unreachable_postgres_gets_a_json_error_that_is_logged_and_retried()
    {
        var logs = new RecordingLoggerProvider();
        await using var server = await TestWebServer.StartAsync(
            builder =>
            {
                builder.Logging.AddProvider(logs);
                builder.Services.AddServingQuery("Host=127.0.0.1;Port=1;Username=nobody;Timeout=2");
            },
            app => app.MapQuery());
        using var client = new HttpClient { BaseAddress = new Uri(server.Url) };

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var response = await client.PostAsJsonAsync("/query", new { sql = "SELECT 1" });
            response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()
                .Should().StartWith("The query could not be run: ");
        }

        // Each attempt tried to connect again (a failed start is not cached) and logged why it failed.
        logs.Errors.Should().HaveCount(2).And.AllSatisfy(e => e.Should().Contain("POST /query failed"));
    }
}
