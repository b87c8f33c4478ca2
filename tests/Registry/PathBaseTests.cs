using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Streams.Registry.Api;
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
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection([new(SchemaRegistryEndpoints.PathBaseKey, pathBase)]);
        builder.Services.AddSchemaRegistry(database.ConnectionString);
        await using var app = builder.Build();
        app.MapSchemaRegistry();
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single().TrimEnd('/') + prefix + "/") };
            (await http.RegisterAsync("rooted", AvroSchemas.Record("R", AvroSchemas.Field("a", "int")))).Should().Be(1);
            (await http.GetJsonAsync("subjects")).Body!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("rooted");
            (await http.GetJsonAsync("config")).Body!["compatibilityLevel"]!.GetValue<string>().Should().Be("BACKWARD");
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
