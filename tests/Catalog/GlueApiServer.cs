using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Streams.Api.Glue;
using Streams.Catalog;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Testing;

namespace Streams.Catalog.Tests;

/// <summary>The Glue API on Kestrel on a free port, over a fresh database and a lake directory.</summary>
public sealed class GlueApiServer : IAsyncLifetime
{
    public const string AccessKey = "AKIDSTREAMSTEST";
    public const string SecretKey = "streams-test-secret-key";

    private TestDatabase? _database;
    private TestWebServer? _server;

    public string Url { get; private set; } = "";

    public string LakeRoot { get; } = Path.Combine(Path.GetTempPath(), "streams-lake-" + Guid.NewGuid().ToString("N")[..8]);

    public CatalogStore Store => _server!.Services.GetRequiredService<CatalogStore>();

    public CrawlerService Crawlers => _server!.Services.GetRequiredService<CrawlerService>();

    public string ConnectionString => _database!.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        Directory.CreateDirectory(LakeRoot);
        var connectionString = _database.ConnectionString;
        _server = await TestWebServer.StartAsync(
            builder => builder.Services.AddGlueCatalog(connectionString, new LakeOptions { Root = LakeRoot }, new CatalogOptions
            {
                SecretKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
                AccessKeys = new Dictionary<string, string> { [AccessKey] = SecretKey },
            }),
            app => app.MapGlueApi());
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

        if (Directory.Exists(LakeRoot))
        {
            Directory.Delete(LakeRoot, recursive: true);
        }
    }

    /// <summary>Runs <c>aws glue ...</c> against the server and returns its JSON output.</summary>
    public Task<string> AwsAsync(params string[] arguments) => AwsWithKeysAsync(AccessKey, SecretKey, arguments);

    /// <summary>Runs <c>aws glue ...</c> signed with the given keys.</summary>
    public Task<string> AwsWithKeysAsync(string accessKey, string secretKey, params string[] arguments) =>
        ExternalTool.RunAsync("/usr/bin/aws", ["glue", .. arguments, "--endpoint-url", Url, "--region", "us-east-1", "--output", "json"],
            environment: new Dictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = accessKey,
                ["AWS_SECRET_ACCESS_KEY"] = secretKey,
                ["AWS_DEFAULT_REGION"] = "us-east-1",
                ["AWS_PAGER"] = "",
                ["AWS_CONFIG_FILE"] = "/dev/null",
                ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
                ["AWS_MAX_ATTEMPTS"] = "1",
            },
            timeout: TimeSpan.FromSeconds(60));

    /// <summary>Runs a boto3 script with <c>glue</c> bound to a client of this server; returns its stdout.</summary>
    public Task<string> Boto3Async(string script) =>
        ExternalTool.RunAsync(ExternalTool.Python, ["-c", $$"""
            import boto3, json, sys
            from botocore.config import Config
            glue = boto3.client("glue", endpoint_url="{{Url}}", region_name="us-east-1",
                aws_access_key_id="{{AccessKey}}", aws_secret_access_key="{{SecretKey}}",
                config=Config(retries={"max_attempts": 1}))
            """ + "\n" + script],
            timeout: TimeSpan.FromSeconds(60));
}
