using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Streams.Api.Glue;
using Streams.Api.Jobs;
using Streams.Catalog;
using Streams.Catalog.Storage;
using Streams.Jobs.Runs;
using Streams.Jobs.Store;
using Streams.Testing;

namespace Streams.Jobs.Tests;

/// <summary>
/// One host of the Glue API with jobs (the catalog, crawlers, job runner and scheduler) on Kestrel on a free port, over a
/// given database and lake directory; several hosts may share one database, as hosts of one deployment do.
/// </summary>
public sealed class JobsHost : IAsyncDisposable
{
    private readonly TestWebServer _server;

    private JobsHost(TestWebServer server, string lakeRoot)
    {
        _server = server;
        LakeRoot = lakeRoot;
    }

    public string Url => _server.Url;

    public string LakeRoot { get; }

    public JobStore Store => _server.Services.GetRequiredService<JobStore>();

    public IServiceProvider Services => _server.Services;

    /// <summary>Starts a host; with <paramref name="run"/> false it serves the API only (queued runs stay queued).</summary>
    public static async Task<JobsHost> StartAsync(string connectionString, string lakeRoot, bool run = true, TimeProvider? clock = null,
        TimeSpan? lease = null, string? hostId = null, Func<IServiceProvider, StreamingEnvironment?>? streaming = null)
    {
        var options = new JobsOptions
        {
            Enabled = run,
            PollInterval = TimeSpan.FromMilliseconds(200),
            LeaseDuration = lease ?? TimeSpan.FromSeconds(3),
        };
        if (hostId is not null)
        {
            options.HostId = hostId;
        }

        var server = await TestWebServer.StartAsync(
            builder =>
            {
                builder.Services.AddGlueCatalog(connectionString, new LakeOptions { Root = lakeRoot }, new CatalogOptions());
                builder.Services.AddGlueJobs(connectionString, options, streaming, clock);
            },
            app => app.MapGlueApi());
        return new JobsHost(server, lakeRoot);
    }

    /// <summary>Runs a boto3 script with <c>glue</c> bound to a client of this host; returns its stdout.</summary>
    public Task<string> Boto3Async(string script, TimeSpan? timeout = null) =>
        ExternalTool.RunAsync(ExternalTool.Python, ["-c", $$"""
            import boto3, json, sys, time
            from botocore.config import Config
            glue = boto3.client("glue", endpoint_url="{{Url}}", region_name="us-east-1",
                aws_access_key_id="any", aws_secret_access_key="any", config=Config(retries={"max_attempts": 1}))
            def wait_run(job, run_id, states=("SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT"), seconds=60):
                deadline = time.time() + seconds
                while True:
                    run = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]
                    if run["JobRunState"] in states or time.time() > deadline:
                        return run
                    time.sleep(0.2)
            """ + "\n" + script],
            timeout: timeout ?? TimeSpan.FromSeconds(120));

    /// <summary>Runs <c>aws glue ...</c> against this host and returns its JSON output.</summary>
    public Task<string> AwsAsync(params string[] arguments) =>
        ExternalTool.RunAsync("/usr/bin/aws", ["glue", .. arguments, "--endpoint-url", Url, "--region", "us-east-1", "--output", "json"],
            environment: new Dictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = "any",
                ["AWS_SECRET_ACCESS_KEY"] = "any",
                ["AWS_DEFAULT_REGION"] = "us-east-1",
                ["AWS_PAGER"] = "",
                ["AWS_CONFIG_FILE"] = "/dev/null",
                ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
                ["AWS_MAX_ATTEMPTS"] = "1",
            },
            timeout: TimeSpan.FromSeconds(60));

    /// <summary>Calls a Glue operation over raw HTTP and returns its JSON answer, with the members botocore's model drops (a run's Metrics).</summary>
    public Task<System.Text.Json.JsonElement> GlueAsync(string operation, string body) => GlueHttp.CallAsync(Url, operation, body);

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = Store.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
