using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Streams.Api.Registry;
using Streams.Testing;

namespace Streams.Registry.Tests;

/// <summary>The path the API is served under comes from <c>Streams:Registry:PathBase</c>; <c>/</c> serves it at the root.</summary>
public sealed class PathBaseTests
{
    [Theory]
    [InlineData("/", "")]
    [InlineData("/schema-registry/", "/schema-registry")]
    public async Task Serves_under_the_configured_path_base(string pathBase, string prefix)
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var server = await TestWebServer.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection([new(SchemaRegistryEndpoints.PathBaseKey, pathBase)]);
                builder.Services.AddSchemaRegistry(database.ConnectionString);
            },
            app => app.MapSchemaRegistry());
        using var http = new HttpClient { BaseAddress = new Uri(server.Url + prefix + "/") };
        (await http.RegisterAsync("rooted", AvroSchemas.Record("R", AvroSchemas.Field("a", "int")))).Should().Be(1);
        (await http.GetJsonAsync("subjects")).Body!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("rooted");
        (await http.GetJsonAsync("config")).Body!["compatibilityLevel"]!.GetValue<string>().Should().Be("BACKWARD");
    }
}
