using Microsoft.AspNetCore.Builder;
using Streams.Host.Api;
using Streams.Host.Configuration;
using Streams.Streaming.Kafka;
using Streams.Testing;

namespace Streams.Console.Tests;

/// <summary>
/// The host's API built as <c>streams dev</c> builds it (<see cref="ApiHost"/> with an embedded broker), in this process,
/// on a database of its own.
/// </summary>
internal sealed class ConsoleHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _lake;
    private readonly MockKafkaCluster _kafka;

    private ConsoleHost(WebApplication app, TestDatabase database, DirectoryInfo lake, MockKafkaCluster kafka)
    {
        _app = app;
        Database = database;
        _lake = lake;
        _kafka = kafka;
        Url = app.Urls.Single().TrimEnd('/');
    }

    public string Url { get; }

    public TestDatabase Database { get; }

    /// <summary>Starts the host; <paramref name="settings"/> are command-line settings such as <c>--Streams:Catalog:AccessKeys:K=S</c>.</summary>
    public static async Task<ConsoleHost> StartAsync(params string[] settings)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var lake = Directory.CreateTempSubdirectory("streams-console-lake-");
        var kafka = MockKafkaCluster.Start();
        var options = new StreamsOptions
        {
            Kafka = { BootstrapServers = kafka.BootstrapServers },
            Postgres = { ConnectionString = database.ConnectionString },
            Lake = { Root = lake.FullName },
            Api = { Url = "http://127.0.0.1:0" },
        };
        var app = ApiHost.Build(options, settings, kafka);
        await app.StartAsync();
        return new ConsoleHost(app, database, lake, kafka);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Database.DisposeAsync();
        _kafka.Dispose();
        _lake.Delete(recursive: true);
    }
}
