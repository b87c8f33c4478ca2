using Npgsql;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Model;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Testing;

namespace Streams.Catalog.Tests;

/// <summary>
/// Crawls Avro container files written by python3-avro and Parquet files written by DuckDB (independent
/// implementations), from a local lake and from S3 (s3rver).
/// </summary>
public sealed class InteropFileCrawlerTests(S3rverFixture s3) : IClassFixture<S3rverFixture>, IAsyncLifetime
{
    private readonly string _lake = Path.Combine(Path.GetTempPath(), "interop-" + Guid.NewGuid().ToString("N")[..8]);
    private TestDatabase? _database;
    private CatalogStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _store = new CatalogStore(NpgsqlDataSource.Create(_database.ConnectionString), new SecretProtector(Convert.ToBase64String(new byte[32])));
        await _store.MigrateAsync();
        await _store.CreateDatabaseAsync(new DatabaseInput { Name = "lake" });
        Directory.CreateDirectory(_lake);
        await WriteFilesAsync();
    }

    public async Task DisposeAsync()
    {
        await _database!.DisposeAsync();
        Directory.Delete(_lake, recursive: true);
    }

    private async Task WriteFilesAsync()
    {
        var avro = Path.Combine(_lake, "db", "clicks");
        Directory.CreateDirectory(Path.Combine(avro, "dt=2024-01-01"));
        Directory.CreateDirectory(Path.Combine(avro, "dt=2024-01-02"));
        Directory.CreateDirectory(Path.Combine(avro, "dt=2024-01-03"));
        await ExternalTool.RunAsync(ExternalTool.Python, ["-c", $$"""
            import avro.schema, avro.datafile, avro.io
            def write(path, schema, records, codec="null"):
                with open(path, "wb") as f:
                    w = avro.datafile.DataFileWriter(f, avro.io.DatumWriter(), avro.schema.parse(schema), codec=codec)
                    for r in records:
                        w.append(r)
                    w.close()
            v1 = '{"type":"record","name":"Click","fields":[{"name":"id","type":"long"},{"name":"url","type":"string"},{"name":"ms","type":"int"}]}'
            v2 = '{"type":"record","name":"Click","fields":[{"name":"id","type":"long"},{"name":"url","type":"string"},{"name":"ms","type":"double"},{"name":"agent","type":["null","string"],"default":null}]}'
            write("{{avro}}/dt=2024-01-01/a.avro", v1, [{"id": 1, "url": "/a", "ms": 5}])
            write("{{avro}}/dt=2024-01-02/b.avro", v2, [{"id": 2, "url": "/b", "ms": 1.5, "agent": "curl"}], codec="deflate")
            write("{{avro}}/dt=2024-01-03/c.avro", v1, [{"id": i, "url": "/c" * 50, "ms": i} for i in range(200)])
            data = open("{{avro}}/dt=2024-01-03/c.avro", "rb").read()
            open("{{avro}}/dt=2024-01-03/c.avro", "wb").write(data[:len(data) // 2])
            """]);

        var parquet = Path.Combine(_lake, "db", "metrics");
        foreach (var region in new[] { "eu", "us", "xx" })
        {
            Directory.CreateDirectory(Path.Combine(parquet, $"region={region}"));
        }

        await ExternalTool.RunAsync("node", ["--input-type=module", "-e", $$"""
            import { DuckDBInstance } from '@duckdb/node-api';
            const db = await DuckDBInstance.create(':memory:');
            const c = await db.connect();
            await c.run("COPY (SELECT 1::INTEGER AS host, 0.5::DOUBLE AS load, 'a' AS name) TO '{{parquet}}/region=eu/m.parquet' (FORMAT PARQUET)");
            await c.run("COPY (SELECT 2::BIGINT AS host, 0.7::DOUBLE AS load, 'b' AS name, [1, 2]::INTEGER[] AS cores) TO '{{parquet}}/region=us/m.parquet' (FORMAT PARQUET, COMPRESSION SNAPPY)");
            """], workingDirectory: Path.Combine(ExternalTool.RepositoryRoot, "tools"));
        await File.WriteAllBytesAsync(Path.Combine(parquet, "region=xx", "bad.parquet"), "PAR1 this is not a footer PAR1"u8.ToArray());
    }

    private async Task<CrawlerRun> CrawlAsync(string name, string path, ILakeStorage storage, string? connection = null)
    {
        await _store.CreateCrawlerAsync(new CrawlerInput
        {
            Name = name,
            DatabaseName = "lake",
            TablePrefix = name + "_",
            Targets = new CrawlerTargets { S3Targets = [new S3Target { Path = path, ConnectionName = connection }] },
        });
        var crawlers = new CrawlerService(_store, new LakeStorageProvider(storage));
        return await crawlers.RunAsync(name, null, CancellationToken.None);
    }

    private async Task AssertTablesAsync(string prefix, CrawlerRun run)
    {
        run.Status.Should().Be("SUCCEEDED", run.Error);
        run.TablesCreated.Should().Be(2);
        run.FilesRead.Should().Be(4);
        run.FilesUnreadable.Should().Be(2);
        run.Messages.Should().Contain(m => m.StartsWith("UNREADABLE") && m.Contains("c.avro"));
        run.Messages.Should().Contain(m => m.StartsWith("UNREADABLE") && m.Contains("bad.parquet"));

        var clicks = await _store.GetTableAsync("lake", prefix + "_clicks");
        clicks.StorageDescriptor!.Columns!.Select(c => $"{c.Name}:{c.Type}")
            .Should().Equal("id:bigint", "url:string", "ms:double", "agent:string");
        clicks.Parameters!["classification"].Should().Be("avro");
        clicks.StorageDescriptor.SerdeInfo!.SerializationLibrary.Should().Be("org.apache.hadoop.hive.serde2.avro.AvroSerDe");
        clicks.PartitionKeys!.Single().Type.Should().Be("date");
        (await _store.GetAllPartitionsAsync("lake", prefix + "_clicks")).Should().HaveCount(2);

        var metrics = await _store.GetTableAsync("lake", prefix + "_metrics");
        metrics.StorageDescriptor!.Columns!.Select(c => $"{c.Name}:{c.Type}")
            .Should().Equal("host:bigint", "load:double", "name:string", "cores:array<int>");
        metrics.Parameters!["classification"].Should().Be("parquet");
        metrics.PartitionKeys!.Single().Name.Should().Be("region");
    }

    [Fact]
    public async Task Crawls_avro_and_parquet_from_a_local_lake()
    {
        var run = await CrawlAsync("local", Path.Combine(_lake, "db"), new LocalLakeStorage(_lake));
        await AssertTablesAsync("local", run);
    }

    [Fact]
    public async Task One_lake_of_every_format_with_drift_a_non_data_file_and_corrupt_files_completes()
    {
        // Beside the Avro (python3-avro) and Parquet (DuckDB) tables: JSON lines and CSV tables whose partitions
        // drift, and a binary file no classifier claims, all under the one target.
        void Write(string relative, byte[] content)
        {
            var path = Path.Combine(_lake, "db", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }

        Write("events/dt=2024-01-01/a.json", "{\"id\":1,\"kind\":\"view\"}\n{\"id\":2,\"kind\":\"click\"}\n"u8.ToArray());
        Write("events/dt=2024-01-02/b.json", "{\"id\":3000000000,\"kind\":\"view\",\"score\":0.5}\n"u8.ToArray());
        Write("events/dt=2024-01-02/thumbnail.bin", [0x00, 0x01, 0xFF, 0xFE, 0x00, 0x10]);
        Write("orders/region=eu/part-0.csv", "id,amount\n1,2\n2,3\n"u8.ToArray());
        Write("orders/region=us/part-0.csv", "id,amount,note\n3,2.5,rush\n"u8.ToArray());

        var run = await CrawlAsync("mixed", Path.Combine(_lake, "db"), new LocalLakeStorage(_lake));

        run.Status.Should().Be("SUCCEEDED", run.Error);
        run.TablesCreated.Should().Be(4);
        run.FilesRead.Should().Be(8, "two readable files in each of the four tables");
        run.FilesUnreadable.Should().Be(2);
        run.FilesUnclassified.Should().Be(1);
        run.Messages.Should().Contain(m => m.StartsWith("UNREADABLE") && m.Contains("c.avro"));
        run.Messages.Should().Contain(m => m.StartsWith("UNREADABLE") && m.Contains("bad.parquet"));
        run.Messages.Should().Contain(m => m.StartsWith("UNCLASSIFIED") && m.Contains("thumbnail.bin"));

        var tables = (await _store.GetTablesAsync("lake", null, 0, 10)).Items.ToDictionary(t => t.Name);
        tables.Keys.Should().BeEquivalentTo("mixed_clicks", "mixed_metrics", "mixed_events", "mixed_orders");
        tables.ToDictionary(t => t.Key, t => t.Value.Parameters!["classification"]).Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["mixed_clicks"] = "avro", ["mixed_metrics"] = "parquet", ["mixed_events"] = "json", ["mixed_orders"] = "csv",
        });
        string[] Columns(string table) => [.. tables[table].StorageDescriptor!.Columns!.Select(c => $"{c.Name}:{c.Type}")];
        Columns("mixed_clicks").Should().Equal("id:bigint", "url:string", "ms:double", "agent:string");
        Columns("mixed_metrics").Should().Equal("host:bigint", "load:double", "name:string", "cores:array<int>");
        Columns("mixed_events").Should().Equal("id:bigint", "kind:string", "score:double");
        Columns("mixed_orders").Should().Equal("id:int", "amount:double", "note:string");
        (await _store.GetAllPartitionsAsync("lake", "mixed_events")).Select(p => p.Values[0]).Should().BeEquivalentTo("2024-01-01", "2024-01-02");
        (await _store.GetPartitionAsync("lake", "mixed_events", ["2024-01-02"])).Parameters!["numFiles"]
            .Should().Be("1", "the unclassified thumbnail is not a data file");
        (await _store.GetAllPartitionsAsync("lake", "mixed_orders")).Select(p => p.Values[0]).Should().BeEquivalentTo("eu", "us");
    }

    [Fact]
    public async Task Crawls_the_same_files_from_s3()
    {
        using var storage = new S3LakeStorage($"s3://{S3rverFixture.Bucket}/lake", new S3Options
        {
            ServiceUrl = s3.ServiceUrl, AccessKey = "S3RVER", SecretKey = "S3RVER",
        });
        foreach (var file in Directory.EnumerateFiles(_lake, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_lake, file).Replace('\\', '/');
            await storage.WriteAsync($"s3://{S3rverFixture.Bucket}/lake/{relative}", await File.ReadAllBytesAsync(file));
        }

        // The crawler reaches S3 through a connection (endpoint and encrypted keys), not the host's lake.
        await _store.CreateConnectionAsync(new ConnectionInput
        {
            Name = "s3rver",
            ConnectionType = "S3",
            ConnectionProperties = new()
            {
                ["LAKE_ROOT"] = $"s3://{S3rverFixture.Bucket}/lake",
                ["S3_ENDPOINT"] = s3.ServiceUrl,
                ["AWS_ACCESS_KEY_ID"] = "S3RVER",
                ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
            },
        });
        var run = await CrawlAsync("s3", $"s3://{S3rverFixture.Bucket}/lake/db", new LocalLakeStorage(_lake), "s3rver");
        await AssertTablesAsync("s3", run);
        (await _store.GetTableAsync("lake", "s3_metrics")).StorageDescriptor!.Location
            .Should().Be($"s3://{S3rverFixture.Bucket}/lake/db/metrics/");
    }
}
