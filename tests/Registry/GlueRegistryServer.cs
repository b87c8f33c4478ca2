using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Streams.Api.Glue;
using Streams.Api.Registry;
using Streams.Catalog;
using Streams.Catalog.Storage;
using Streams.Registry.Glue;
using Streams.Testing;

namespace Streams.Registry.Tests;

/// <summary>
/// The registry's two faces on one Kestrel over one fresh database, wired as the host wires them: Confluent's REST
/// API under <c>/registry</c> and the Glue endpoint at <c>/</c> with the Glue Schema Registry's operations. The
/// registry and version quotas are lowered so tests reach them in a few calls.
/// </summary>
public sealed class GlueRegistryServer : IAsyncLifetime
{
    public const int MaxRegistries = 4;
    public const int MaxVersionsPerSchema = 4;

    private TestDatabase? _database;
    private TestWebServer? _server;
    private readonly string _lake = Path.Combine(Path.GetTempPath(), "streams-gsr-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The Glue endpoint (boto3's <c>endpoint_url</c>).</summary>
    public string Url { get; private set; } = "";

    /// <summary>Confluent's REST API base URL.</summary>
    public string RegistryUrl => Url + "/registry";

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        Directory.CreateDirectory(_lake);
        var connectionString = _database.ConnectionString;
        _server = await TestWebServer.StartAsync(
            builder =>
            {
                builder.Services.AddSchemaRegistry(connectionString);
                builder.Services.AddGlueCatalog(connectionString, new LakeOptions { Root = _lake }, new CatalogOptions
                {
                    SecretKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
                });
                builder.Services.AddGlueSchemaRegistry(options: new GlueSchemaRegistryOptions
                {
                    MaxRegistries = MaxRegistries,
                    MaxVersionsPerSchema = MaxVersionsPerSchema,
                });
            },
            app =>
            {
                app.MapSchemaRegistry("/registry");
                app.MapGlueApi();
            });
        Url = _server.Url;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (Directory.Exists(_lake))
        {
            Directory.Delete(_lake, recursive: true);
        }
    }

    /// <summary>Runs a boto3 script with <c>glue</c> bound to a client of this server; returns its stdout.</summary>
    public Task<string> Boto3Async(string script) =>
        ExternalTool.RunAsync(ExternalTool.Python, ["-c", $$"""
            import boto3, json, sys
            from botocore.config import Config
            glue = boto3.client("glue", endpoint_url="{{Url}}", region_name="us-east-1",
                aws_access_key_id="any", aws_secret_access_key="any", config=Config(retries={"max_attempts": 1}))
            def error(call, **kwargs):
                try:
                    call(**kwargs)
                except glue.exceptions.ClientError as e:
                    return e.response["Error"]["Code"]
                return "no error"
            """ + "\n" + script],
            timeout: TimeSpan.FromSeconds(90));
}
