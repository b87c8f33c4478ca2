using Npgsql;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Model;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Testing;

namespace Streams.Catalog.Tests;

/// <summary>Crawls generated lake folders into a real PostgreSQL catalog.</summary>
public sealed class CrawlerTests : IAsyncLifetime
{
    private readonly string _lake = Path.Combine(Path.GetTempPath(), "crawl-" + Guid.NewGuid().ToString("N")[..8]);
    private TestDatabase? _database;
    private CatalogStore _store = null!;
    private CrawlerService _crawlers = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _store = new CatalogStore(NpgsqlDataSource.Create(_database.ConnectionString), new SecretProtector(null));
        await _store.MigrateAsync();
        await _store.MigrateAsync(); // idempotent
        _crawlers = new CrawlerService(_store, new LakeStorageProvider(new LakeOptions { Root = _lake }));
        await _store.CreateDatabaseAsync(new DatabaseInput { Name = "lake" });
    }

    public async Task DisposeAsync()
    {
        await _database!.DisposeAsync();
        Directory.Delete(_lake, recursive: true);
    }

    private void Write(string relative, string content) => Write(relative, System.Text.Encoding.UTF8.GetBytes(content));

    private void Write(string relative, byte[] content)
    {
        var path = Path.Combine(_lake, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    private Task CreateCrawlerAsync(string name, string path, string update = "UPDATE_IN_DATABASE", string delete = "DELETE_FROM_DATABASE",
        string recrawl = "CRAWL_EVERYTHING", List<string>? classifiers = null) =>
        _store.CreateCrawlerAsync(new CrawlerInput
        {
            Name = name,
            DatabaseName = "lake",
            Classifiers = classifiers,
            Targets = new CrawlerTargets
            {
                S3Targets = [new S3Target { Path = Path.Combine(_lake, path), Exclusions = ["**/tmp/**", "**.bak"] }],
            },
            SchemaChangePolicy = new SchemaChangePolicy { UpdateBehavior = update, DeleteBehavior = delete },
            RecrawlPolicy = new RecrawlPolicy { RecrawlBehavior = recrawl },
        });

    private static Dictionary<string, string?> Columns(Table table) =>
        table.StorageDescriptor!.Columns!.ToDictionary(c => c.Name, c => c.Type);

    [Fact]
    public async Task Crawls_hive_partitioned_csv_and_json_lines_with_schema_merging()
    {
        Write("db/sales/year=2024/month=1/part-0.csv", "id,amount,region\n1,10,eu\n2,20,us\n");
        Write("db/sales/year=2024/month=2/part-0.csv", "id,amount,region\n3,10.5,eu\n");
        Write("db/sales/year=2023/month=12/part-0.csv", "id,amount,region,note\n4,7,us,\"late, but \"\"fine\"\"\"\n");
        Write("db/sales/year=2024/month=1/_SUCCESS", "");
        Write("db/sales/year=2024/month=1/blob.bin", [0x00, 0x01, 0xFF, 0xFE, 0x00, 0x10]);
        Write("db/events/dt=2024-01-01/a.json", "{\"id\":1,\"user\":{\"name\":\"ann\"},\"tags\":[\"x\"],\"value\":\"high\"}\n");
        Write("db/events/dt=2024-01-02/b.json", "{\"id\":3000000000,\"user\":{\"name\":\"bob\",\"age\":5},\"value\":7}\n{\"id\":2,\"value\":null}\n");
        Write("db/events/dt=2024-01-03/broken.json", "{\"id\":5,\"value\":1}\n{\"id\": 6, \"user\": \n");
        Write("db/events/tmp/ignored.json", "{\"other\":true}\n");
        Write("db/events/dt=2024-01-01/old.json.bak", "{\"stale\":true}\n");

        await CreateCrawlerAsync("lake-crawler", "db");
        var run = await _crawlers.RunAsync("lake-crawler", null, CancellationToken.None);

        run.Status.Should().Be("SUCCEEDED", run.Error);
        run.TablesCreated.Should().Be(2);
        run.PartitionsAdded.Should().Be(5);
        run.FilesRead.Should().Be(5);
        run.FilesUnreadable.Should().Be(1);
        run.FilesUnclassified.Should().Be(1);
        run.FilesSkipped.Should().Be(3, "_SUCCESS, the tmp folder and the .bak file");
        run.Messages.Should().Contain(m => m.StartsWith("UNREADABLE") && m.Contains("broken.json") && m.Contains("line 2"));
        run.Messages.Should().Contain(m => m.StartsWith("UNCLASSIFIED") && m.Contains("blob.bin"));

        var sales = await _store.GetTableAsync("lake", "sales");
        Columns(sales).Should().Equal(new Dictionary<string, string?>
        {
            ["id"] = "int", ["amount"] = "double", ["region"] = "string", ["note"] = "string",
        });
        sales.PartitionKeys!.Select(k => $"{k.Name}:{k.Type}").Should().Equal("year:int", "month:int");
        sales.Parameters!["classification"].Should().Be("csv");
        sales.Parameters["skip.header.line.count"].Should().Be("1");
        sales.StorageDescriptor!.Location.Should().Be(Path.Combine(_lake, "db", "sales") + "/");
        var partitions = (await _store.GetPartitionsAsync("lake", "sales", "year = 2024 AND month >= 2", 0, 10)).Items;
        partitions.Should().ContainSingle().Which.Values.Should().Equal("2024", "2");
        var january = await _store.GetPartitionAsync("lake", "sales", ["2024", "1"]);
        january.Parameters!["numFiles"].Should().Be("1", "the unclassified blob and _SUCCESS are not data files");
        january.LastAnalyzedTime.Should().NotBeNull();

        var events = await _store.GetTableAsync("lake", "events");
        var eventColumns = Columns(events);
        eventColumns["id"].Should().Be("bigint");
        eventColumns["user"].Should().Be("struct<name:string,age:int>");
        eventColumns["tags"].Should().Be("array<string>");
        eventColumns["value"].Should().Be("uniontype<string,int>", "a string in one file and an int in another is a choice");
        events.PartitionKeys!.Single().Type.Should().Be("date");
        events.Parameters!["classification"].Should().Be("json");
    }

    [Fact]
    public async Task Recrawl_updates_changed_schemas_keeping_versions_and_deletes_vanished_tables()
    {
        Write("db2/clicks/dt=2024-01-01/a.json", "{\"id\":1}\n");
        Write("db2/views/v.csv", "page,count\n/home,3\n");
        await CreateCrawlerAsync("recrawler", "db2");
        (await _crawlers.RunAsync("recrawler", null, CancellationToken.None)).TablesCreated.Should().Be(2);

        Write("db2/clicks/dt=2024-01-02/b.json", "{\"id\":2,\"referrer\":\"x\"}\n");
        Directory.Delete(Path.Combine(_lake, "db2", "views"), recursive: true);
        var second = await _crawlers.RunAsync("recrawler", null, CancellationToken.None);

        second.TablesUpdated.Should().Be(1);
        second.TablesDeleted.Should().Be(1);
        second.PartitionsAdded.Should().Be(1);
        var versions = (await _store.GetTableVersionsAsync("lake", "clicks", 0, 10)).Items;
        versions.Select(v => v.VersionId).Should().Equal("2", "1");
        versions[1].Table.StorageDescriptor!.Columns!.Select(c => c.Name).Should().Equal("id");
        Columns(versions[0].Table).Should().ContainKey("referrer");
        var missing = () => _store.GetTableAsync("lake", "views");
        await missing.Should().ThrowAsync<EntityNotFoundException>();

        var metrics = (await _store.GetCrawlerMetricsAsync(["recrawler"])).Single();
        metrics.TablesUpdated.Should().Be(1);
        metrics.TablesDeleted.Should().Be(1);
    }

    [Fact]
    public async Task Log_policy_and_new_folders_only_leave_known_tables_alone()
    {
        Write("db3/logs/dt=2024-01-01/a.json", "{\"id\":1}\n");
        await CreateCrawlerAsync("logger", "db3", update: "LOG", delete: "LOG", recrawl: "CRAWL_NEW_FOLDERS_ONLY");
        (await _crawlers.RunAsync("logger", null, CancellationToken.None)).TablesCreated.Should().Be(1);

        Write("db3/logs/dt=2024-01-01/b.json", "{\"id\":2,\"extra\":true}\n");
        Write("db3/logs/dt=2024-01-02/c.json", "{\"id\":3,\"more\":1.5}\n");
        var second = await _crawlers.RunAsync("logger", null, CancellationToken.None);

        second.FilesSkipped.Should().Be(2, "the known folder dt=2024-01-01 is not read again");
        second.FilesRead.Should().Be(1);
        second.PartitionsAdded.Should().Be(1);
        second.TablesUpdated.Should().Be(0);
        second.Messages.Should().Contain(m => m.StartsWith("SCHEMA CHANGE lake.logs not applied"));
        Columns(await _store.GetTableAsync("lake", "logs")).Keys.Should().Equal("id");

        var invalid = () => _store.CreateCrawlerAsync(new CrawlerInput
        {
            Name = "bad", DatabaseName = "lake",
            Targets = new CrawlerTargets { S3Targets = [new S3Target { Path = _lake }] },
            RecrawlPolicy = new RecrawlPolicy { RecrawlBehavior = "CRAWL_NEW_FOLDERS_ONLY" },
        });
        await invalid.Should().ThrowAsync<InvalidInputException>().WithMessage("*requires*LOG*");
    }

    [Fact]
    public async Task Custom_classifiers_run_before_the_built_in_ones()
    {
        Write("db4/semi/a.txt", "id;name\n1;ann\n");
        Write("db4/docs/a.json", "{\"data\":{\"items\":[{\"k\":1},{\"k\":2,\"v\":\"x\"}]}}");
        await _store.CreateClassifierAsync(new Classifier
        {
            CsvClassifier = new CsvClassifierDefinition { Name = "semicolon", Delimiter = ";", ContainsHeader = "PRESENT" },
        });
        await _store.CreateClassifierAsync(new Classifier
        {
            JsonClassifier = new JsonClassifierDefinition { Name = "items", JsonPath = "$.data.items[*]" },
        });
        await CreateCrawlerAsync("custom", "db4", classifiers: ["items", "semicolon"]);
        var run = await _crawlers.RunAsync("custom", null, CancellationToken.None);

        run.TablesCreated.Should().Be(2);
        Columns(await _store.GetTableAsync("lake", "semi")).Should().Equal(new Dictionary<string, string?> { ["id"] = "int", ["name"] = "string" });
        var docs = await _store.GetTableAsync("lake", "docs");
        Columns(docs).Should().Equal(new Dictionary<string, string?> { ["k"] = "int", ["v"] = "string" });
        docs.StorageDescriptor!.SerdeInfo!.Parameters!["paths"].Should().Be("$['data']['items'][*]");
    }

    [Fact]
    public async Task A_target_outside_the_lake_fails_the_run_with_the_path()
    {
        await _store.CreateCrawlerAsync(new CrawlerInput
        {
            Name = "escape", DatabaseName = "lake",
            Targets = new CrawlerTargets { S3Targets = [new S3Target { Path = "/etc" }] },
        });
        var run = await _crawlers.RunAsync("escape", null, CancellationToken.None);
        run.Status.Should().Be("FAILED");
        run.Error.Should().Contain("'/etc'").And.Contain("outside the lake root");
        (await _store.GetCrawlerAsync("escape")).State.Should().Be("READY");
    }

    [Fact]
    public async Task Deprecate_marks_vanished_tables_and_partitions_instead_of_deleting_them()
    {
        Write("db6/kept/k=1/a.json", "{\"id\":1}\n");
        Write("db6/kept/k=2/a.json", "{\"id\":2}\n");
        Write("db6/gone/a.json", "{\"id\":1}\n");
        await CreateCrawlerAsync("deprecator", "db6", delete: "DEPRECATE_IN_DATABASE");
        await _crawlers.RunAsync("deprecator", null, CancellationToken.None);
        Directory.Delete(Path.Combine(_lake, "db6", "gone"), recursive: true);
        Directory.Delete(Path.Combine(_lake, "db6", "kept", "k=2"), recursive: true);

        var run = await _crawlers.RunAsync("deprecator", null, CancellationToken.None);

        run.TablesDeleted.Should().Be(0);
        (await _store.GetTableAsync("lake", "gone")).Parameters.Should().ContainKey(CatalogWriter.DeprecatedByCrawler);
        (await _store.GetTableAsync("lake", "kept")).Parameters.Should().NotContainKey(CatalogWriter.DeprecatedByCrawler);
        (await _store.GetPartitionAsync("lake", "kept", ["2"])).Parameters.Should().ContainKey(CatalogWriter.DeprecatedByCrawler);
        (await _store.GetPartitionAsync("lake", "kept", ["1"])).Parameters.Should().NotContainKey(CatalogWriter.DeprecatedByCrawler);
    }

    [Fact]
    public async Task Stopping_a_running_crawler_cancels_its_run()
    {
        for (var i = 0; i < 5; i++)
        {
            Write($"db7/t/p{i}.json", "{\"id\":1}\n");
        }

        await CreateCrawlerAsync("stoppable", "db7");
        var stopped = 0;
        // Stop from inside the run (on its first progress report), so the stop lands while it is running.
        var progress = new SynchronousProgress(_ =>
        {
            if (Interlocked.Exchange(ref stopped, 1) == 0)
            {
                _crawlers.StopAsync("stoppable").GetAwaiter().GetResult();
            }
        });
        await _crawlers.StartAsync("stoppable", CancellationToken.None, progress);
        await _crawlers.WaitAsync("stoppable");

        var crawler = await _store.GetCrawlerAsync("stoppable");
        crawler.State.Should().Be("READY");
        crawler.LastCrawl!.Status.Should().Be("CANCELLED");
        var stop = () => _crawlers.StopAsync("stoppable");
        await stop.Should().ThrowAsync<CrawlerNotRunningException>();
    }

    [Fact]
    public async Task A_stop_received_by_another_host_cancels_the_run()
    {
        for (var i = 0; i < 3; i++)
        {
            Write($"db8/t/p{i}.json", "{\"id\":1}\n");
        }

        await CreateCrawlerAsync("remote-stop", "db8");
        var otherHost = new CrawlerService(_store, new LakeStorageProvider(new LakeOptions { Root = _lake }));
        var log = new RecordingLogger<CrawlerService>();
        var runningHost = new CrawlerService(_store, new LakeStorageProvider(new LakeOptions { Root = _lake }), log);
        var stopped = 0;
        var seen = false;
        var progress = new SynchronousProgress(_ =>
        {
            if (Interlocked.Exchange(ref stopped, 1) == 0)
            {
                otherHost.StopAsync("remote-stop").GetAwaiter().GetResult();
                // Hold the run until the running host's stop poll has seen the request and cancelled it.
                seen = log.WaitFor(CrawlerService.StopSeen, TimeSpan.FromSeconds(30));
            }
        });

        var run = await runningHost.RunAsync("remote-stop", progress, CancellationToken.None);

        seen.Should().BeTrue("the running host polls the catalog for stop requests");

        run.Status.Should().Be("CANCELLED");
        (await _store.GetCrawlerAsync("remote-stop")).State.Should().Be("READY");
    }

    [Fact]
    public async Task A_sample_size_reads_only_the_first_files_of_each_folder()
    {
        for (var i = 0; i < 5; i++)
        {
            Write($"db9/s/day=1/p{i}.json", i == 4 ? "{\"id\":1,\"late\":true}\n" : "{\"id\":1}\n");
        }

        await _store.CreateCrawlerAsync(new CrawlerInput
        {
            Name = "sampler", DatabaseName = "lake",
            Targets = new CrawlerTargets { S3Targets = [new S3Target { Path = Path.Combine(_lake, "db9"), SampleSize = 2 }] },
        });
        var run = await _crawlers.RunAsync("sampler", null, CancellationToken.None);

        run.FilesRead.Should().Be(2);
        run.FilesSkipped.Should().Be(3);
        Columns(await _store.GetTableAsync("lake", "s")).Keys.Should().Equal("id");
        (await _store.GetPartitionAsync("lake", "s", ["1"])).Parameters!["numFiles"].Should().Be("5");
    }

    private sealed class SynchronousProgress(Action<CrawlProgress> report) : IProgress<CrawlProgress>
    {
        public void Report(CrawlProgress value) => report(value);
    }
}
