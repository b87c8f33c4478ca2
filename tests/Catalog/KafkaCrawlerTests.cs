using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Model;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Streaming.Kafka;
using Streams.Testing;

namespace Streams.Catalog.Tests;

/// <summary>
/// Crawls Kafka topics through the registry REST API. The registry here is a minimal HTTP endpoint answering
/// <c>GET /subjects/{subject}/versions/latest</c> in the Confluent shape (the Catalog must not depend on
/// src/Registry); it also checks the basic-auth credentials the connection stores encrypted.
/// </summary>
public sealed class KafkaCrawlerTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private TestWebServer? _registry;
    private string _registryUrl = "";

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        var orders = """{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[{"name":"sku","type":"string"},{"name":"qty","type":"int"}]}}},{"name":"total","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},{"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"note","type":["null","string"],"default":null}]}""";
        _registry = await TestWebServer.StartAsync(null, app => app.MapGet("/subjects/{subject}/versions/latest", (HttpContext context, string subject) =>
        {
            if (context.Request.Headers.Authorization.ToString() != "Basic " + Convert.ToBase64String("reader:s3cret"u8.ToArray()))
            {
                return Results.Json(new { error_code = 40101, message = "Unauthorized" }, statusCode: 401);
            }

            return subject switch
            {
                "orders-value" => Results.Json(new { subject, version = 3, id = 17, schema = orders }),
                "flat-value" => Results.Json(new { subject, version = 1, id = 18, schema = "\"string\"" }),
                _ => Results.Json(new { error_code = 40401, message = "Subject not found." }, statusCode: 404),
            };
        }));
        _registryUrl = _registry.Url;
    }

    public async Task DisposeAsync()
    {
        await _registry!.DisposeAsync();
        await _database!.DisposeAsync();
    }

    [Fact]
    public async Task A_target_topic_the_cluster_lacks_is_named_with_how_to_create_it()
    {
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic("orders", 1, 1);
        var store = new CatalogStore(NpgsqlDataSource.Create(_database!.ConnectionString), new SecretProtector(Convert.ToBase64String(new byte[32])));
        await store.MigrateAsync();
        await store.CreateDatabaseAsync(new DatabaseInput { Name = "streams" });
        await store.CreateConnectionAsync(new ConnectionInput
        {
            Name = "kafka",
            ConnectionType = "KAFKA",
            ConnectionProperties = new()
            {
                ["KAFKA_BOOTSTRAP_SERVERS"] = kafka.BootstrapServers,
                ["SCHEMA_REGISTRY_URL"] = _registryUrl,
                ["SCHEMA_REGISTRY_USERNAME"] = "reader",
                ["SCHEMA_REGISTRY_PASSWORD"] = "s3cret",
            },
        });
        await store.CreateCrawlerAsync(new CrawlerInput
        {
            Name = "topics",
            DatabaseName = "streams",
            Targets = new CrawlerTargets { KafkaTargets = [new KafkaTarget { ConnectionName = "kafka", Topics = ["orders", "nosuchtopic"] }] },
        });

        var run = await new CrawlerService(store, new LakeStorageProvider(new LakeOptions()), kafkaTopics: new KafkaTopicLister())
            .RunAsync("topics", null, CancellationToken.None);

        run.Status.Should().Be("SUCCEEDED", run.Error);
        run.TablesCreated.Should().Be(1, "the topic that exists is still crawled");
        run.Messages.Should().ContainSingle(m => m.StartsWith("MISSING kafka topic nosuchtopic: the topic does not exist on Kafka at " + kafka.BootstrapServers, StringComparison.Ordinal))
            .Which.Should().Contain("streams topics create nosuchtopic");
        run.Messages.Should().NotContain(m => m.Contains("no classifier recognises", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Topics_become_tables_from_their_latest_value_schema()
    {
        var store = new CatalogStore(NpgsqlDataSource.Create(_database!.ConnectionString),
            new SecretProtector(Convert.ToBase64String(new byte[32])));
        await store.MigrateAsync();
        await store.CreateDatabaseAsync(new DatabaseInput { Name = "streams" });
        await store.CreateConnectionAsync(new ConnectionInput
        {
            Name = "kafka",
            ConnectionType = "KAFKA",
            ConnectionProperties = new()
            {
                ["KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092",
                ["SCHEMA_REGISTRY_URL"] = _registryUrl,
                ["SCHEMA_REGISTRY_USERNAME"] = "reader",
                ["SCHEMA_REGISTRY_PASSWORD"] = "s3cret",
            },
        });
        (await store.GetConnectionAsync("kafka")).ConnectionProperties.Should().NotContainKey("SCHEMA_REGISTRY_PASSWORD");
        await store.CreateCrawlerAsync(new CrawlerInput
        {
            Name = "topics",
            DatabaseName = "streams",
            Targets = new CrawlerTargets { KafkaTargets = [new KafkaTarget { ConnectionName = "kafka", Topics = ["orders", "flat", "missing"] }] },
        });

        var run = await new CrawlerService(store, new LakeStorageProvider(new LakeOptions())).RunAsync("topics", null, CancellationToken.None);

        run.Status.Should().Be("SUCCEEDED", run.Error);
        run.TablesCreated.Should().Be(1);
        run.FilesUnreadable.Should().Be(1, "the flat topic's schema is a string, not a record");
        run.FilesUnclassified.Should().Be(1, "the missing topic has no subject");
        var orders = await store.GetTableAsync("streams", "orders");
        orders.StorageDescriptor!.Columns!.Select(c => $"{c.Name}:{c.Type}").Should().Equal(
            "id:bigint", "lines:array<struct<sku:string,qty:int>>", "total:decimal(12,2)", "at:timestamp", "note:string");
        orders.Parameters!["topicName"].Should().Be("orders");
        orders.Parameters["schemaId"].Should().Be("17");
        orders.Parameters["typeOfData"].Should().Be("kafka");
        JsonSerializer.Serialize(orders).Should().NotContain("s3cret");
    }
}
