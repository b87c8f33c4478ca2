using Streams.Api.Registry;
using Streams.Testing;

namespace Streams.Registry.Tests;

/// <summary>
/// The registry served by Kestrel on a free 127.0.0.1 port over a fresh database, built with the same
/// <c>AddSchemaRegistry</c>/<c>MapSchemaRegistry</c> calls as the host.
/// </summary>
public sealed class RegistryServer : IAsyncLifetime
{
    private TestDatabase? _database;
    private TestWebServer? _server;

    /// <summary>The registry's base URL, without a trailing slash, e.g. <c>http://127.0.0.1:41234/registry</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The database's connection string.</summary>
    public string ConnectionString => _database!.ConnectionString;

    /// <summary>The registry behind the API.</summary>
    public SchemaRegistry Registry => (SchemaRegistry)_server!.Services.GetService(typeof(SchemaRegistry))!;

    /// <summary>A client for raw HTTP calls, based at <see cref="BaseUrl"/> + "/".</summary>
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        var connectionString = _database.ConnectionString;
        _server = await TestWebServer.StartAsync(
            builder => builder.Services.AddSchemaRegistry(connectionString), app => app.MapSchemaRegistry("/registry"));
        BaseUrl = _server.Url + "/registry";
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl + "/") };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
