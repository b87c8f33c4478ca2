using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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
}
