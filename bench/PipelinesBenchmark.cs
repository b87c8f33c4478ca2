using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Pipelines.Execution;
using Streams.Pipelines.Specs;
using Streams.Serving;

using Streams.Testing;

namespace Streams.Benchmarks;

/// <summary>
/// Pipeline transforms over order events (records/s, wall and per CPU-second, single-threaded) and
/// serving-layer writes (rows/s) beside <c>psql \copy</c> of the same rows into an equivalent plain
/// table in the same run. <c>--records N</c> (transforms, default 10,000,000), <c>--rows N</c> (serving,
/// default 1,000,000), <c>--batch N</c> (default 10,000). Serving needs STREAMS_BENCH_POSTGRES or
/// STREAMS_TEST_POSTGRES.
/// </summary>
public sealed class PipelinesBenchmark : IBenchmark
{

    public string Name => "pipelines";

    public string Description => "pipeline transforms records/s (per core) and serving writes rows/s vs psql \\copy; --records N, --rows N";

    private static readonly Schema Timestamp = new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros);

    private static readonly RecordSchema Orders = new(new SchemaName("OrderEvent", "bench"),
    [
        new Field("order_id", PrimitiveSchema.Long),
        new Field("customer", PrimitiveSchema.String),
        new Field("email", PrimitiveSchema.String),
        new Field("status", PrimitiveSchema.String),
        new Field("country", PrimitiveSchema.String),
        new Field("channel", PrimitiveSchema.String),
        new Field("price", PrimitiveSchema.Double),
        new Field("quantity", PrimitiveSchema.Int),
        new Field("discount", UnionSchema.Nullable(PrimitiveSchema.Double)),
        new Field("coupon", UnionSchema.Nullable(PrimitiveSchema.String)),
        new Field("ts", Timestamp),
    ]);

    private static readonly string[] Statuses = ["paid", "paid", "paid", "shipped", "pending", "cancelled", "refunded", "paid"];
    private static readonly string[] Countries = ["NO", "SE", "DK", "FI", "DE", "NL", "FR", "ES", "IT", "PL", "GB", "US"];
    private static readonly string[] Channels = ["web", "ios", "android", "store"];
    private static readonly DateTime Epoch = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>One order event; about 2 per second of event time, 20,000 customers.</summary>
    private static GenericRecord Order(long i)
    {
        var customer = i * 7919 % 20_000;
        return new GenericRecord(Orders,
        [
            i,
            "  Customer-" + customer.ToString(CultureInfo.InvariantCulture) + " ",
            "c" + customer.ToString(CultureInfo.InvariantCulture) + "@example" + (customer % 7).ToString(CultureInfo.InvariantCulture) + ".com",
            Statuses[i % Statuses.Length],
            Countries[i * 31 % Countries.Length],
            Channels[i % Channels.Length],
            (i * 2654435761 % 100_000) / 100.0,
            (int)(i % 9),
            i % 4 == 0 ? null : (i % 30) / 100.0,
            i % 5 == 0 ? "SPRING" + (i % 3).ToString(CultureInfo.InvariantCulture) : null,
            Epoch.AddTicks(i * 5_000_000 + i % 997),
        ]);
    }

    /// <summary>Filter, derive (arithmetic, string and date functions, CASE), rename and drop.</summary>
    private const string TransformSpec = """
        name: bench_orders
        source: { batch: { path: orders/, format: avro } }
        transforms:
          - filter: status IN ('paid', 'shipped') AND quantity > 0 AND price >= 1.0
          - derive:
              gross: price * quantity
              net: round(gross * (1 - coalesce(discount, 0)), 2)
              customer_key: lower(trim(customer))
              email_domain: substring(email, length(email) - 11)
              order_day: date_trunc('day', ts)
              hour_of_day: hour(ts)
              weekend: day_of_week(ts) >= 6
              size_band: CASE WHEN net >= 500 THEN 'large' WHEN net >= 100 THEN 'medium' ELSE 'small' END
              label: concat(upper(channel), '-', country, '-', coalesce(coupon, 'none'))
          - rename_field: { from: country, to: region }
          - drop_fields: [email, customer, coupon]
        """;

    /// <summary>The same, then a one-minute tumbling window per region.</summary>
    private const string WindowSpecText = TransformSpec + """

        window:
          type: tumbling
          time: ts
          size: 1m
        aggregate:
          group_by: [region]
          measures:
            orders: count()
            revenue: sum(net)
            units: sum(quantity)
            avg_price: avg(price)
            biggest: max(net)
            big_orders: count(CASE WHEN size_band = 'large' THEN 1 END)
        """;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        long records = 10_000_000;
        long rows = 1_000_000;
        var batchSize = 10_000;
        var runTransforms = true;
        var runServing = true;
        for (var a = 0; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--records" when a + 1 < args.Length:
                    records = ParseCount(args[++a]);
                    break;
                case "--rows" when a + 1 < args.Length:
                    rows = ParseCount(args[++a]);
                    break;
                case "--batch" when a + 1 < args.Length:
                    batchSize = (int)ParseCount(args[++a]);
                    break;
                case "--transforms-only":
                    runServing = false;
                    break;
                case "--serving-only":
                    runTransforms = false;
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[a]}; options: --records N, --rows N, --batch N, --transforms-only, --serving-only");
                    return 2;
            }
        }

        if (runServing && !BenchPostgres.TryConfigure("pipelines (serving part; --transforms-only skips it)"))
        {
            return 2;
        }

        var summary = new List<string>();
        if (runTransforms)
        {
            Console.WriteLine($"pipelines benchmark: transforms over {records:N0} order events in batches of {batchSize:N0}, one thread");
            var plain = await RunTransformsAsync("filter+derive+rename/drop", TransformSpec, records, batchSize, cancellationToken);
            var windowed = await RunTransformsAsync("same + tumbling 1m window aggregate", WindowSpecText, records, batchSize, cancellationToken);
            summary.Add("");
            summary.Add("Transforms (records generated outside the measured sections; CPU = process CPU, all threads incl. GC)");
            summary.Add($"{"scenario",-38} {"in",12} {"out",12} {"wall s",8} {"cpu s",8} {"rec/s wall",12} {"rec/s/core",12}");
            foreach (var (label, output, measure) in new[] { plain, windowed })
            {
                summary.Add($"{label,-38} {records,12:N0} {output,12:N0} {measure.Wall,8:F2} {measure.Cpu,8:F2} {records / measure.Wall,12:N0} {records / measure.Cpu,12:N0}");
            }
        }

        if (runServing)
        {
            summary.AddRange(await RunServingAsync(rows, batchSize, cancellationToken));
        }

        Console.WriteLine();
        foreach (var line in summary)
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    private static long ParseCount(string text) =>
        long.Parse(text.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static async Task<(string Label, long Output, Measure Measure)> RunTransformsAsync(string label, string specText, long records,
        int batchSize, CancellationToken cancellationToken)
    {
        var runner = new PipelineRunner(PipelineSpecLoader.Parse(specText, "bench"), PipelineMode.Batch);
        await runner.PrepareAsync(cancellationToken);
        // Warm-up (JIT, expression compilation) on a runner of its own, so the window state stays clean.
        var warmUp = new PipelineRunner(runner.Spec, PipelineMode.Batch);
        await warmUp.ProcessAsync(new RecordBatch(Orders, Enumerable.Range(0, batchSize).Select(i => Order(i)).ToList()), cancellationToken);
        warmUp.Complete();
        var measure = new Measure();
        long output = 0;
        long deadLetters = 0;
        var batch = new GenericRecord[batchSize];
        for (long start = 0; start < records; start += batchSize)
        {
            var count = (int)Math.Min(batchSize, records - start);
            var chunk = count == batchSize ? batch : new GenericRecord[count];
            for (var k = 0; k < count; k++)
            {
                chunk[k] = Order(start + k);
            }

            var input = new RecordBatch(Orders, chunk);
            measure.Start();
            var result = await runner.ProcessAsync(input, cancellationToken);
            measure.Stop();
            output += result.Output.Count;
            deadLetters += result.DeadLetters.Count;
            if ((start / batchSize + 1) % 100 == 0)
            {
                Console.WriteLine($"  {label}: {start + count:N0} records, {measure}, {(start + count) / measure.Wall:N0} rec/s");
            }
        }

        measure.Start();
        var last = runner.Complete();
        measure.Stop();
        output += last.Output.Count;
        if (deadLetters > 0)
        {
            throw new InvalidOperationException($"{label}: {deadLetters} records went to the dead letters; the benchmark data should all pass.");
        }

        Console.WriteLine($"  {label} done: {records:N0} in, {output:N0} out, {measure}");
        return (label, output, measure);
    }

    private static async Task<List<string>> RunServingAsync(long rows, int batchSize, CancellationToken cancellationToken)
    {
        // The rows served are the plain pipeline's output, generated before any timing.
        var runner = new PipelineRunner(PipelineSpecLoader.Parse(TransformSpec, "bench"), PipelineMode.Batch);
        var batches = new List<IReadOnlyList<GenericRecord>>();
        var pending = new List<GenericRecord>(batchSize);
        RecordSchema? schema = null;
        for (long i = 0, served = 0; served < rows; i += batchSize)
        {
            var input = Enumerable.Range(0, batchSize).Select(k => Order(i + k)).ToList();
            var result = await runner.ProcessAsync(new RecordBatch(Orders, input), cancellationToken);
            schema = result.Output.Schema;
            foreach (var record in result.Output.Records)
            {
                if (served == rows)
                {
                    break;
                }

                served++;
                pending.Add(record);
                if (pending.Count == batchSize)
                {
                    batches.Add(pending);
                    pending = new List<GenericRecord>(batchSize);
                }
            }
        }

        if (pending.Count > 0)
        {
            batches.Add(pending);
        }

        var directory = Directory.CreateTempSubdirectory("streams-pipelines-bench-").FullName;
        await using var database = await TestPostgres.CreateDatabaseAsync(cancellationToken);
        var connectionString = database.ConnectionString;
        try
        {
            Console.WriteLine();
            Console.WriteLine($"serving writes: {rows:N0} rows x {schema!.Fields.Count} columns in batches of {batchSize:N0}, database {database.Name}");
            var csv = Path.Combine(directory, "rows.csv");
            WriteCsv(csv, schema, batches);
            Console.WriteLine($"  wrote {csv} ({new FileInfo(csv).Length / 1e6:F1} MB) for psql");

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await ServingMigrations.ApplyAsync(dataSource, cancellationToken);
            var store = new ServingStore(dataSource);
            await ExecuteAsync(dataSource, "CREATE SCHEMA bench", cancellationToken);

            var append = new ServingOutputDefinition("orders_append", schema, [], "ts");
            var keyed = new ServingOutputDefinition("orders_keyed", schema, ["order_id", "ts"], "ts");
            var swapped = new ServingOutputDefinition("orders_swap", schema, [], "ts");
            foreach (var output in new[] { append, keyed, swapped })
            {
                await store.EnsureOutputAsync(output, cancellationToken);
            }

            // The reference tables have the serving tables' columns and indexes (ts index; primary key when keyed).
            await ExecuteAsync(dataSource, $"""
                CREATE TABLE bench.copy_append (LIKE serving.{append.SpeedTable} INCLUDING ALL);
                CREATE TABLE bench.copy_keyed (LIKE serving.{keyed.SpeedTable} INCLUDING ALL);
                """, cancellationToken);
            var conninfo = Conninfo(connectionString);
            var psqlAppend = await PsqlCopyAsync(conninfo, connectionString, "bench.copy_append", csv, cancellationToken);
            Console.WriteLine($"  psql \\copy (ts index): {psqlAppend:F2} s, {rows / psqlAppend:N0} rows/s");
            var psqlKeyed = await PsqlCopyAsync(conninfo, connectionString, "bench.copy_keyed", csv, cancellationToken);
            Console.WriteLine($"  psql \\copy (primary key + ts index): {psqlKeyed:F2} s, {rows / psqlKeyed:N0} rows/s");

            // Warm-up (JIT, connection pool, plan caches) on outputs of their own, not measured.
            foreach (var warm in new[] { new ServingOutputDefinition("warm_append", schema, [], "ts"), new ServingOutputDefinition("warm_keyed", schema, ["order_id", "ts"], "ts") })
            {
                await store.EnsureOutputAsync(warm, cancellationToken);
                await store.WriteSpeedAsync(warm, batches[0], [new SourcePosition("orders", 0, batches[0].Count)], cancellationToken);
            }

            var speedAppend = await SpeedWritesAsync(dataSource, append, batches, cancellationToken);
            var speedKeyed = await SpeedWritesAsync(dataSource, keyed, batches, cancellationToken);
            // psql again after the serving writes; the faster of its two runs is the reference, so
            // contention from other work on the machine does not flatter the ratios.
            foreach (var table in new[] { "bench.copy_append", "bench.copy_keyed" })
            {
                await ExecuteAsync(dataSource, $"TRUNCATE {table}", cancellationToken);
            }

            psqlAppend = Math.Min(psqlAppend, await PsqlCopyAsync(conninfo, connectionString, "bench.copy_append", csv, cancellationToken));
            psqlKeyed = Math.Min(psqlKeyed, await PsqlCopyAsync(conninfo, connectionString, "bench.copy_keyed", csv, cancellationToken));
            Console.WriteLine($"  psql \\copy best of two: ts index {rows / psqlAppend:N0} rows/s, primary key + ts index {rows / psqlKeyed:N0} rows/s");
            var swap = new Measure();
            swap.Start();
            await store.SwapBatchAsync(swapped, batches.ToAsyncEnumerable(), batches[^1][^1]["ts"] is DateTime last ? last.AddSeconds(1) : DateTime.UtcNow,
                [SourcePosition.InFile("orders.avro", rows)], cancellationToken);
            swap.Stop();
            Console.WriteLine($"  SwapBatchAsync ({batches.Count} chunks): {swap}, {rows / swap.Wall:N0} rows/s");

            await CheckCountAsync(dataSource, $"serving.{append.SpeedTable}", rows, cancellationToken);
            await CheckCountAsync(dataSource, $"serving.{keyed.SpeedTable}", rows, cancellationToken);
            await CheckCountAsync(dataSource, $"serving.{swapped.BatchTable}", rows, cancellationToken);
            await CheckCountAsync(dataSource, "bench.copy_append", rows, cancellationToken);
            await CheckCountAsync(dataSource, "bench.copy_keyed", rows, cancellationToken);

            var lines = new List<string>
            {
                "",
                "Serving writes (wall time; the client CPU column is this process only: psql's COPY runs in psql + server)",
                $"{"write",-52} {"wall s",8} {"cpu s",8} {"rows/s",12} {"vs psql",8}",
            };
            void Line(string label, double wall, double? cpu, double reference) =>
                lines.Add($"{label,-52} {wall,8:F2} {(cpu is { } c ? c.ToString("F2", CultureInfo.InvariantCulture) : "-"),8} {rows / wall,12:N0} {reference / wall,8:P0}");
            Line("psql \\copy, ts index (best of 2)", psqlAppend, null, psqlAppend);
            Line("psql \\copy, primary key + ts index (best of 2)", psqlKeyed, null, psqlKeyed);
            Line("WriteSpeedAsync append (+positions), vs first", speedAppend.Wall, speedAppend.Cpu, psqlAppend);
            Line("WriteSpeedAsync upsert by key (+positions), vs second", speedKeyed.Wall, speedKeyed.Cpu, psqlKeyed);
            Line("SwapBatchAsync (one transaction), vs first", swap.Wall, swap.Cpu, psqlAppend);
            lines.Add($"(vs psql = serving rows/s / psql \\copy rows/s; target >= 70%)");
            return lines;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<Measure> SpeedWritesAsync(NpgsqlDataSource dataSource, ServingOutputDefinition output,
        List<IReadOnlyList<GenericRecord>> batches, CancellationToken cancellationToken)
    {
        // The speed layer's sink: rows, positions and pipeline state in one transaction per micro-batch.
        var sink = new ServingSpeedSink(dataSource, output);
        await sink.EnsureOutputAsync(cancellationToken);
        var measure = new Measure();
        long written = 0;
        for (var b = 0; b < batches.Count; b++)
        {
            written += batches[b].Count;
            // One Kafka partition's next offset per micro-batch, as the speed layer commits it.
            SourcePosition[] positions = [new("orders", b % 4, written)];
            var step = new PipelineStep(new PipelineResult(new RecordBatch(output.Schema, batches[b]), new Dictionary<string, IReadOnlyList<RecordBatch>>(), []),
                positions, PipelineStateChanges.None, output.Schema, null, IsFinal: false);
            measure.Start();
            await sink.WriteAsync(step, cancellationToken);
            measure.Stop();
            if ((b + 1) % 25 == 0)
            {
                Console.WriteLine($"  WriteSpeedAsync {output.Name}: {written:N0} rows, {measure}, {written / measure.Wall:N0} rows/s");
            }
        }

        Console.WriteLine($"  WriteSpeedAsync {output.Name} done: {measure}, {written / measure.Wall:N0} rows/s");
        return measure;
    }

    /// <summary>CSV as PostgreSQL's COPY reads it: empty unquoted field = NULL, strings always quoted.</summary>
    private static void WriteCsv(string path, RecordSchema schema, List<IReadOnlyList<GenericRecord>> batches)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        var line = new StringBuilder();
        foreach (var batch in batches)
        {
            foreach (var record in batch)
            {
                line.Clear();
                for (var i = 0; i < schema.Fields.Count; i++)
                {
                    if (i > 0)
                    {
                        line.Append(',');
                    }

                    switch (record[i])
                    {
                        case null:
                            break;
                        case string s:
                            line.Append('"').Append(s.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
                            break;
                        case bool flag:
                            line.Append(flag ? 't' : 'f');
                            break;
                        case DateTime t:
                            line.Append(t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)).Append("+00");
                            break;
                        case IFormattable number:
                            line.Append(number.ToString(number is double or float ? "R" : null, CultureInfo.InvariantCulture));
                            break;
                        case var other:
                            throw new InvalidOperationException($"column {schema.Fields[i].Name}: no CSV form for {other.GetType()}");
                    }
                }

                writer.WriteLine(line);
            }
        }
    }

    /// <summary>A libpq conninfo string for the Npgsql connection string (password goes in PGPASSWORD).</summary>
    private static string Conninfo(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        static string Value(string v) => "'" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
        var parts = new List<string> { $"host={Value(builder.Host ?? "localhost")}", $"port={builder.Port}", $"dbname={Value(builder.Database!)}" };
        if (builder.Username is { } user)
        {
            parts.Add($"user={Value(user)}");
        }

        return string.Join(' ', parts);
    }

    /// <summary>Runs <c>psql -c "\copy TABLE FROM FILE (FORMAT csv)"</c>; returns its wall seconds (process start included).</summary>
    private static async Task<double> PsqlCopyAsync(string conninfo, string connectionString, string table, string file, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("psql")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", $"\\copy {table} FROM '{file}' WITH (FORMAT csv)" })
        {
            info.ArgumentList.Add(arg);
        }

        if (new NpgsqlConnectionStringBuilder(connectionString).Password is { Length: > 0 } password)
        {
            info.Environment["PGPASSWORD"] = password;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start psql.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        watch.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql \\copy into {table} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CheckCountAsync(NpgsqlDataSource dataSource, string table, long expected, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {table}");
        var count = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (count != expected)
        {
            throw new InvalidOperationException($"{table} holds {count:N0} rows; {expected:N0} were written.");
        }
    }
}
