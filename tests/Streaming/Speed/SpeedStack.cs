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
        Lake = Directory.CreateTempSubdirectory("streams-lake-");
        Registry = new CachedSchemaRegistryClient(RegistryUrl);
    }

    public MockKafkaCluster Kafka { get; }

    public KafkaClientFactory Clients { get; }

    public TopicManager Topics { get; }

    public NpgsqlDataSource DataSource { get; }

    public string ConnectionString => _database.ConnectionString;

    /// <summary>The local lake the archive goes to.</summary>
    public DirectoryInfo Lake { get; }

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

    /// <summary>The rows of the test pipeline's merged view, in (customer, hour) order.</summary>
    public async Task<List<(string Customer, DateTime Hour, long Orders, long Revenue, long Codes)>> ViewRowsAsync()
    {
        await using var command = DataSource.CreateCommand(
            "SELECT customer, window_start, orders, revenue, codes FROM serving.sales_per_hour ORDER BY customer COLLATE \"C\", window_start");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, DateTime, long, long, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return rows;
    }

    /// <summary>The test pipeline's dead letters, in (partition, offset) order.</summary>
    public async Task<List<(int Partition, long Offset, string Stage, string Reason, byte[]? Value)>> DeadLetterRowsAsync()
    {
        await using var command = DataSource.CreateCommand(
            "SELECT partition, \"offset\", stage, reason, value FROM serving.sales_dead_letters WHERE topic = 'sales' ORDER BY partition, \"offset\"");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, long, string, string, byte[]?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : (byte[])reader[4]));
        }

        return rows;
    }

    /// <summary>Records of the test pipeline in PostgreSQL: counted in the view plus dead letters (0 before the first write).</summary>
    public async Task<long> RecordsAccountedAsync()
    {
        try
        {
            return await ScalarAsync<long>(
                "SELECT (SELECT coalesce(sum(orders), 0)::bigint FROM serving.sales_per_hour) + (SELECT count(*) FROM serving.sales_dead_letters)");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    /// <summary>The sale ids in the topic's lake archive (one per archived row) and the archive's file paths relative to the lake.</summary>
    public async Task<(List<long> Ids, List<string> Files)> ArchiveAsync()
    {
        var ids = new List<long>();
        var files = new List<string>();
        var folder = Path.Combine(Lake.FullName, SalesEvents.Topic);
        foreach (var path in Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories) : [])
        {
            files.Add(Path.GetRelativePath(Lake.FullName, path));
            await using var stream = File.OpenRead(path);
            await using var reader = await Streams.Formats.RecordFiles.GetFormat(path).OpenReaderAsync(stream, new Streams.Formats.RecordFileOptions(), CancellationToken.None);
            while (await reader.ReadBatchAsync() is { } batch)
            {
                ids.AddRange(batch.Select(r => (long)((Streams.Formats.Model.GenericRecord)r!)["id"]!));
            }
        }

        return (ids, files);
    }

    /// <summary>The test pipeline's view and dead letters are exactly what <paramref name="producer"/> produced.</summary>
    public async Task AssertExactAsync(SalesProducer producer)
    {
        (await ViewRowsAsync()).Should().Equal(Sale.Expected(producer.Sales));
        var deadLetters = await DeadLetterRowsAsync();
        var expected = producer.ExpectedDeadLetters();
        deadLetters.Select(d => $"{d.Partition}@{d.Offset} {d.Stage}").Should().Equal(expected.Select(d => $"{d.Partition}@{d.Offset} {d.Stage}"));
        foreach (var (dead, want) in deadLetters.Zip(expected))
        {
            dead.Reason.Should().Contain(want.Reason, $"dead letter {dead.Partition}@{dead.Offset}");
        }

        (await RecordsAccountedAsync()).Should().Be(producer.Produced, "in + dead letters = consumed");
        var (archived, files) = await ArchiveAsync();
        archived.Order().Should().Equal(producer.Sales.Select(s => s.Id).Order(), "every record that passed the schema is archived once");
        files.Should().OnlyContain(f => System.Text.RegularExpressions.Regex.IsMatch(f, @"^sales/dt=\d{4}-\d{2}-\d{2}/hour=\d{2}/p\d{4}-\d{19}-\d{19}\.parquet$"));
    }

    public async ValueTask DisposeAsync()
    {
        Registry.Dispose();
        await _registryServer.DisposeAsync();
        await DataSource.DisposeAsync();
        await _database.DisposeAsync();
        Kafka.Dispose();
        Lake.Delete(recursive: true);
    }
}
