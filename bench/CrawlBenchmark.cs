using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Model;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Formats.Avro.Files;
using Streams.Formats.Model;
using Streams.Formats.Parquet;
using Streams.Testing;

namespace Streams.Benchmarks;

/// <summary>
/// Crawls a generated lake of small files in hive partitions (<c>dt=.../hour=...</c>) into a PostgreSQL catalog
/// and reports wall time and files/s beside the I/O floor measured in the same run: a plain directory walk
/// that reads every file's bytes. Four tables share the partitions: JSON lines, CSV, Avro and Parquet (the
/// last two written by the Streams writers). <c>--files N</c> (default 10,000), <c>--partitions N</c> (default 1,000).
/// PostgreSQL: <c>STREAMS_BENCH_POSTGRES</c> or <c>STREAMS_TEST_POSTGRES</c>; a fresh database is created and dropped.
/// </summary>
public sealed class CrawlBenchmark : IBenchmark
{
    private const int RowsPerFile = 4;

    private static readonly string[] Tables = ["events", "orders", "clicks", "metrics"];

    private static readonly RecordSchema ClickSchema = new(new SchemaName("Click", "bench"),
    [
        new Field("id", PrimitiveSchema.Long),
        new Field("url", PrimitiveSchema.String),
        new Field("ms", PrimitiveSchema.Double),
    ]);

    /// <inheritdoc />
    public string Name => "crawl";

    /// <inheritdoc />
    public string Description => "crawl small files in hive partitions into PostgreSQL vs a walk+read I/O floor; --files N --partitions N";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var files = 10_000;
        var partitions = 1_000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--files": files = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--partitions": partitions = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; use --files N --partitions N");
                    return 2;
            }
        }

        if (partitions < Tables.Length || files < partitions)
        {
            Console.Error.WriteLine($"need --partitions >= {Tables.Length} and --files >= --partitions");
            return 2;
        }

        if (!BenchPostgres.TryConfigure("crawl"))
        {
            return 2;
        }

        var lake = Directory.CreateTempSubdirectory("crawl-bench-").FullName;
        try
        {
            Console.WriteLine($"crawl benchmark: {files:N0} files in {partitions:N0} partitions ({Tables.Length} tables: json, csv, avro, parquet), lake {lake}");
            var generate = Stopwatch.StartNew();
            var bytes = await GenerateAsync(Path.Combine(lake, "db"), files, partitions, cancellationToken);
            Console.WriteLine($"generated {files:N0} files, {bytes / 1e6:F1} MB in {generate.Elapsed.TotalSeconds:F1} s");

            // The I/O floor: walk the tree and read every byte, as any crawler must at least do. Twice, keep the best.
            var floor = TimeSpan.MaxValue;
            for (var round = 0; round < 2; round++)
            {
                var (elapsed, read, count) = await WalkAndReadAsync(lake, cancellationToken);
                floor = elapsed < floor ? elapsed : floor;
                Console.WriteLine($"  walk + read all bytes: {count:N0} files, {read / 1e6:F1} MB in {elapsed.TotalMilliseconds:F0} ms");
            }

            await using var database = await TestPostgres.CreateDatabaseAsync(cancellationToken);
            var connectionString = database.ConnectionString;
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var store = new CatalogStore(dataSource, new SecretProtector(null));
            await store.MigrateAsync(cancellationToken);
            await store.CreateDatabaseAsync(new DatabaseInput { Name = "bench" }, cancellationToken);
            await store.CreateCrawlerAsync(new CrawlerInput
            {
                Name = "bench",
                DatabaseName = "bench",
                Targets = new CrawlerTargets { S3Targets = [new S3Target { Path = Path.Combine(lake, "db") }] },
            }, cancellationToken);
            var crawlers = new CrawlerService(store, new LakeStorageProvider(new LakeOptions { Root = lake }));

            var first = await CrawlAsync(crawlers, "first crawl (creates tables and partitions)", files, floor, cancellationToken);
            var second = await CrawlAsync(crawlers, "second crawl (nothing changed)", files, floor, cancellationToken);
            var tables = (await store.GetTablesAsync("bench", null, 0, 100, cancellationToken)).Items;
            Console.WriteLine("tables: " + string.Join("; ", tables.Select(t =>
                $"{t.Name} [{t.Parameters!["classification"]}] ({string.Join(", ", t.StorageDescriptor!.Columns!.Select(c => $"{c.Name} {c.Type}"))})")));

            Console.WriteLine();
            Console.WriteLine($"summary: {files:N0} files / {partitions:N0} partitions");
            Console.WriteLine($"  I/O floor (walk + read)   {floor.TotalSeconds,8:F2} s  {files / floor.TotalSeconds,10:N0} files/s");
            Console.WriteLine($"  crawler, first run        {first.TotalSeconds,8:F2} s  {files / first.TotalSeconds,10:N0} files/s  {first / floor,6:F1}x the floor");
            Console.WriteLine($"  crawler, unchanged rerun  {second.TotalSeconds,8:F2} s  {files / second.TotalSeconds,10:N0} files/s  {second / floor,6:F1}x the floor");
            return 0;
        }
        finally
        {
            Directory.Delete(lake, recursive: true);
        }
    }

    private static async Task<TimeSpan> CrawlAsync(CrawlerService crawlers, string label, int files, TimeSpan floor, CancellationToken cancellationToken)
    {
        Console.WriteLine(label + ":");
        var step = Math.Max(1, files / 10);
        var progress = new ConsoleProgress(p =>
        {
            if (p.FilesDone % step == 0 || p.FilesDone == p.FilesTotal)
            {
                Console.WriteLine($"  {p.FilesDone,8:N0} / {p.FilesTotal:N0} files");
            }
        });
        var clock = Stopwatch.StartNew();
        var run = await crawlers.RunAsync("bench", progress, cancellationToken);
        var elapsed = clock.Elapsed;
        if (run.Status != "SUCCEEDED")
        {
            throw new InvalidOperationException($"The crawl ended {run.Status}: {run.Error}");
        }

        Console.WriteLine($"  {elapsed.TotalSeconds:F2} s, {files / elapsed.TotalSeconds:N0} files/s, {elapsed / floor:F1}x the I/O floor");
        Console.WriteLine($"  metrics: tables created {run.TablesCreated}, updated {run.TablesUpdated}, deleted {run.TablesDeleted}; " +
            $"partitions added {run.PartitionsAdded:N0}; files read {run.FilesRead:N0}, skipped {run.FilesSkipped:N0}, " +
            $"unreadable {run.FilesUnreadable:N0}, unclassified {run.FilesUnclassified:N0}");
        return elapsed;
    }

    /// <summary>Writes the lake: partition p belongs to table p % 4; files are spread evenly over partitions.</summary>
    private static async Task<long> GenerateAsync(string root, int files, int partitions, CancellationToken cancellationToken)
    {
        long bytes = 0;
        var next = 0L;
        for (var p = 0; p < partitions; p++)
        {
            var table = Tables[p % Tables.Length];
            var index = p / Tables.Length;
            var folder = Path.Combine(root, table,
                $"dt={new DateOnly(2024, 1, 1).AddDays(index / 24):yyyy-MM-dd}", $"hour={index % 24:D2}");
            Directory.CreateDirectory(folder);
            var count = files / partitions + (p < files % partitions ? 1 : 0);
            for (var f = 0; f < count; f++)
            {
                var path = Path.Combine(folder, $"part-{f:D4}");
                var first = next;
                next += RowsPerFile;
                switch (table)
                {
                    case "events":
                        path += ".json";
                        await File.WriteAllTextAsync(path, Lines(first, i => $"{{\"id\":{i},\"user\":\"user-{i % 97}\",\"value\":{i * 0.5:F1}}}"), cancellationToken);
                        break;
                    case "orders":
                        path += ".csv";
                        await File.WriteAllTextAsync(path, "id,sku,amount\n" + Lines(first, i => $"{i},sku-{i % 13},{i % 1000}"), cancellationToken);
                        break;
                    case "clicks":
                        path += ".avro";
                        await using (var writer = AvroFileWriter.Create(path, ClickSchema))
                        {
                            for (var i = first; i < next; i++)
                            {
                                await writer.WriteAsync(Click(i), cancellationToken);
                            }
                        }

                        break;
                    default:
                        path += ".parquet";
                        await using (var writer = new ParquetWriter(File.Create(path), ClickSchema))
                        {
                            for (var i = first; i < next; i++)
                            {
                                await writer.WriteAsync(Click(i), cancellationToken);
                            }
                        }

                        break;
                }

                bytes += new FileInfo(path).Length;
            }
        }

        return bytes;
    }

    private static GenericRecord Click(long i) => new(ClickSchema, [i, "/page/" + (i % 50).ToString(CultureInfo.InvariantCulture), i * 0.25]);

    private static string Lines(long first, Func<long, string> line)
    {
        var text = new StringBuilder();
        for (var i = first; i < first + RowsPerFile; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{line(i)}\n");
        }

        return text.ToString();
    }

    private static async Task<(TimeSpan Elapsed, long Bytes, int Files)> WalkAndReadAsync(string root, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        var files = 0;
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            bytes += (await File.ReadAllBytesAsync(path, cancellationToken)).Length;
            files++;
        }

        return (clock.Elapsed, bytes, files);
    }

    /// <summary>Reports on the crawler's thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class ConsoleProgress(Action<CrawlProgress> report) : IProgress<CrawlProgress>
    {
        public void Report(CrawlProgress value) => report(value);
    }
}
