using System.Globalization;
using Npgsql;
using Streams.Batch.Backfills;
using Streams.Catalog.Storage;
using Streams.Formats.Parquet;
using Streams.Pipelines.Specs;
using Streams.Testing;

namespace Streams.Benchmarks;

/// <summary>
/// <c>bench -- backfill [--rows N] [--files F]</c>: an hourly per-customer aggregation over N rows of Parquet (written by
/// DuckDB, F files), computed by DuckDB (threads=1 and default) and by a Streams full backfill into PostgreSQL (1 and 2
/// readers), in one run; prints rows/s, rows/s per core and the ratios to DuckDB single-threaded.
/// </summary>
public sealed class BackfillBenchmark : IBenchmark
{
    public string Name => "backfill";

    public string Description => "backfill: Parquet lake -> hourly aggregate, Streams (1 and 2 readers, into PostgreSQL) vs DuckDB (threads=1, default)";

    private const string Aggregate = """
        SELECT count(*) AS groups, sum(orders) AS orders FROM (
          SELECT customer, time_bucket(INTERVAL '1 hour', ts) AS window_start, count(*) AS orders, sum(amount) AS revenue, max(amount) AS biggest, avg(qty) AS avg_qty
          FROM read_parquet('{0}/*.parquet') GROUP BY ALL)
        """;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rows = 10_000_000L;
        var files = 4;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--rows": rows = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--files": files = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
            }
        }

        if (!BenchPostgres.TryConfigure("backfill"))
        {
            return 2;
        }

        var directory = Directory.CreateTempSubdirectory("streams-bench-backfill-").FullName;
        var lake = Path.Combine(directory, "orders");
        Directory.CreateDirectory(lake);
        try
        {
            Console.WriteLine($"writing {rows:N0} rows as {files} Parquet files with DuckDB ...");
            var per = rows / files;
            var statements = Enumerable.Range(0, files).Select(f => $"""
                COPY (SELECT i AS id, 'c' || (i % 50) AS customer, CAST((i % 10000) / 100.0 AS DECIMAL(10,2)) AS amount, CAST(i % 7 AS INTEGER) AS qty,
                             TIMESTAMPTZ '2026-11-01 00:00:00+00' + to_microseconds(i * 10000) AS ts
                      FROM range({f * per}, {(f == files - 1 ? rows : (f + 1) * per)}) t(i)) TO '{lake}/part-{f}.parquet' (FORMAT PARQUET)
                """).Append("SELECT 1").ToList();
            await ParquetBenchmark.RunDuckDbAsync(["SET TimeZone='UTC'", .. statements], cancellationToken);

            var duck = new Dictionary<string, Measure>();
            long groups = 0;
            foreach (var threads in new[] { "1", "default" })
            {
                Console.WriteLine($"  duckdb threads={threads} ...");
                var setup = threads == "1" ? "SET threads=1" : "SELECT 1";
                var (timings, cpu, result) = await ParquetBenchmark.RunDuckDbAsync(
                    ["SET TimeZone='UTC'", setup, string.Format(CultureInfo.InvariantCulture, Aggregate, lake), string.Format(CultureInfo.InvariantCulture, Aggregate, lake)],
                    cancellationToken);
                // Best of two: the first run also warms the file cache.
                var best = timings[^1] < timings[^2] ? ^1 : ^2;
                duck[threads] = Measure.Of(timings[best], cpu[best]);
                groups = long.Parse(result[0]!["groups"]!.ToString(), CultureInfo.InvariantCulture);
            }

            var spec = PipelineSpecLoader.Parse($$"""
                name: bench_hourly
                source: { batch: { path: {{lake}} } }
                window: { type: tumbling, time: ts, size: 1h }
                aggregate:
                  group_by: [customer]
                  measures:
                    orders: count()
                    revenue: sum(amount)
                    biggest: max(amount)
                    avg_qty: avg(qty)
                sinks: [{ serving: bench_hourly }]
                """, "bench.yaml");
            var streams = new Dictionary<int, Measure>();
            long columnar = 0;
            // Best of two per reader count, as for DuckDB: the first run also warms the file cache and the JIT.
            foreach (var readers in new[] { 1, 1, 2, 2 })
            {
                Console.WriteLine($"  streams backfill, {readers} reader(s) ...");
                await using var database = await TestPostgres.CreateDatabaseAsync(cancellationToken);
                await using var postgres = NpgsqlDataSource.Create(database.ConnectionString);
                var measure = new Measure();
                measure.Start();
                var summary = await new BackfillRunner(postgres, new LocalLakeStorage(lake)).RunAsync(spec,
                    new BackfillOptions { Parallelism = readers, Watermark = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc) }, null, cancellationToken);
                measure.Stop();
                if (!streams.TryGetValue(readers, out var earlier) || measure.Wall < earlier.Wall)
                {
                    streams[readers] = measure;
                }

                columnar = summary.RowsColumnar;
                if (summary.RowsRead != rows || summary.RowsWritten != groups)
                {
                    throw new InvalidOperationException($"Streams read {summary.RowsRead:N0} rows into {summary.RowsWritten:N0} groups; DuckDB counts {rows:N0} rows in {groups:N0} groups.");
                }
            }

            // Where the time goes: decoding the files alone, as records (what the record path starts from) and as the
            // column vectors of the fields the aggregate reads (what the columnar path starts from), on one thread.
            Console.WriteLine("  decode only: records, column vectors ...");
            var decodeRecords = await DecodeAsync(lake, async (reader, g) => (await reader.ReadRowGroupAsync(g, cancellationToken: cancellationToken)).Count, cancellationToken);
            var decodeVectors = await DecodeAsync(lake, async (reader, g) =>
                (await reader.ReadColumnVectorsAsync(g, reader.Schema, ["ts", "customer", "amount", "qty"], cancellationToken))[0]!.Count, cancellationToken);

            Console.WriteLine();
            Console.WriteLine($"{rows:N0} rows, {files} files, {groups:N0} groups (same in both engines); {columnar:N0} rows aggregated by Streams' columnar path");
            Console.WriteLine($"{"engine",-36} {"wall s",8} {"cpu s",8} {"rows/s",13} {"rows/s/core",13}");
            void Line(string label, Measure m) =>
                Console.WriteLine($"{label,-36} {m.Wall,8:F2} {m.Cpu,8:F2} {rows / m.Wall,13:N0} {rows / Math.Max(m.Cpu, 1e-9),13:N0}");
            Line("duckdb (threads=1)", duck["1"]);
            Line("duckdb (default threads)", duck["default"]);
            Line("streams backfill (1 reader)", streams[1]);
            Line("streams backfill (2 readers)", streams[2]);
            Line("  phase: decode as records (1 thread)", decodeRecords);
            Line("  phase: decode as vectors (1 thread)", decodeVectors);
            Console.WriteLine($"ratio streams 1 reader / duckdb threads=1   wall {streams[1].Wall / duck["1"].Wall,6:F2}x  (target <= 3x)");
            Console.WriteLine($"ratio streams 2 readers / duckdb default    wall {streams[2].Wall / duck["default"].Wall,6:F2}x");
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<Measure> DecodeAsync(string lake, Func<ParquetReader, int, Task<int>> read, CancellationToken cancellationToken)
    {
        var measure = new Measure();
        measure.Start();
        long total = 0;
        foreach (var file in Directory.GetFiles(lake, "*.parquet").Order(StringComparer.Ordinal))
        {
            await using var reader = await ParquetReader.OpenAsync(file, cancellationToken);
            for (var g = 0; g < reader.Metadata.RowGroups.Count; g++)
            {
                total += await read(reader, g);
            }
        }

        measure.Stop();
        return total > 0 ? measure : throw new InvalidOperationException("The files decoded to no rows.");
    }
}
