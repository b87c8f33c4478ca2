using Npgsql;
using Streams.Api.Registry;
using Streams.Registry.Client;
using Streams.Streaming.Kafka;
using Streams.Testing;

namespace Streams.Streaming.Tests.Speed;

/// <summary>
/// What a speed-layer test runs against, all real: the embedded Kafka-protocol broker (librdkafka's mock
/// cluster), a PostgreSQL database of its own, and the schema registry served over HTTP on that database.
/// </summary>
internal sealed class SpeedStack : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly TestWebServer _registryServer;

    private SpeedStack(MockKafkaCluster kafka, TestDatabase database, TestWebServer registryServer)
    {
        Kafka = kafka;
        _database = database;
        _registryServer = registryServer;
        RegistryUrl = registryServer.Url + "/registry";
        Clients = new KafkaClientFactory(new KafkaOptions { BootstrapServers = kafka.BootstrapServers });
        Topics = new TopicManager(Clients, kafka);
        DataSource = NpgsqlDataSource.Create(database.ConnectionString);
        Registry = new CachedSchemaRegistryClient(RegistryUrl);
    }

    public MockKafkaCluster Kafka { get; }

    public KafkaClientFactory Clients { get; }

    public TopicManager Topics { get; }

    public NpgsqlDataSource DataSource { get; }

    public string ConnectionString => _database.ConnectionString;

    public string RegistryUrl { get; }

    public CachedSchemaRegistryClient Registry { get; }

    public static async Task<SpeedStack> StartAsync()
    {
        var kafka = MockKafkaCluster.Start();
        var database = await TestPostgres.CreateDatabaseAsync();
        var server = await TestWebServer.StartAsync(
            builder => builder.Services.AddSchemaRegistry(database.ConnectionString), app => app.MapSchemaRegistry("/registry"));
        return new SpeedStack(kafka, database, server);
    }

    public SpeedLayerOptions LayerOptions() => new()
    {
        Kafka = new KafkaOptions { BootstrapServers = Kafka.BootstrapServers },
        // A member that leaves makes the next wait this long for partitions (classic protocol).
        SessionTimeout = TimeSpan.FromSeconds(6),
        StateDirectory = Path.Combine(Path.GetTempPath(), "streams-speed-tests", Guid.NewGuid().ToString("N")),
    };

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        Registry.Dispose();
        await _registryServer.DisposeAsync();
        await DataSource.DisposeAsync();
        await _database.DisposeAsync();
        Kafka.Dispose();
    }
}
