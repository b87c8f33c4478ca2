using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Streams.Catalog.Crawlers;
using Streams.Catalog.GlueApi;
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
    private WebApplication? _app;

    public string Url { get; private set; } = "";

    public string LakeRoot { get; } = Path.Combine(Path.GetTempPath(), "streams-lake-" + Guid.NewGuid().ToString("N")[..8]);

    public CatalogStore Store => _app!.Services.GetRequiredService<CatalogStore>();

    public CrawlerService Crawlers => _app!.Services.GetRequiredService<CrawlerService>();

    public string ConnectionString => _database!.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        Directory.CreateDirectory(LakeRoot);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddGlueCatalog(_database.ConnectionString, new LakeOptions { Root = LakeRoot }, new CatalogOptions
        {
            SecretKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            AccessKeys = new Dictionary<string, string> { [AccessKey] = SecretKey },
        });
        _app = builder.Build();
        _app.MapGlueApi();
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
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
