using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Streams.Formats;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Files;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Benchmarks;

/// <summary>
/// Avro throughput of a realistic 20-field event record beside avro-c (libavro's generic value API) doing the same
/// work in the same run: datum encode to memory, datum decode from memory, container file write and read with the
/// null and deflate codecs. The C side, bench/avro-c/avro_bench.c, is compiled with gcc against libavro-dev at run
/// time and builds its records from the same formulas as <see cref="Event"/>; the encoded sizes are compared so the
/// two sides provably do the same work. <c>--records N</c> (default 300,000: under two minutes on a shared 2-core
/// machine), <c>--runs R</c> timed runs per phase after one warm-up (default 3; the best counts).
/// </summary>
public sealed class AvroBenchmark : IBenchmark
{
    /// <summary>Distinct records built up front and cycled: record construction stays out of the timings.</summary>
    private const int Distinct = 10_000;

    /// <summary>The container block size on both sides (avro-c's default is 16 KiB; Streams' 64 KiB).</summary>
    private const int BlockSize = 64 * 1024;

    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    ];

    private static readonly string[] Countries = ["US", "DE", "FR", "GB", "BR", "IN", "JP", "CA"];
    private static readonly string[] Cities = ["New York", "Berlin", "Paris", "London", "Sao Paulo", "Mumbai", "Tokyo"];
    private static readonly string[] Devices = ["desktop", "mobile", "tablet"];
    private static readonly int[] Widths = [1920, 390, 820];
    private static readonly int[] Heights = [1080, 844, 1180];
    private static readonly string[] Tags = ["promo", "new", "returning", "vip", "beta"];
    private static readonly string[] EventTypes = ["PAGE_VIEW", "CLICK", "ADD_TO_CART", "PURCHASE", "SIGN_IN"];

    private static readonly (string Key, string Label)[] Phases =
    [
        ("encode", "encode (memory)"),
        ("decode", "decode (memory)"),
        ("file_write_null", "file write (null)"),
        ("file_read_null", "file read (null)"),
        ("file_write_deflate", "file write (deflate)"),
        ("file_read_deflate", "file read (deflate)"),
    ];

    /// <inheritdoc />
    public string Name => "avro";

    /// <inheritdoc />
    public string Description => "Avro encode/decode and container file write/read of a 20-field event vs avro-c (libavro); --records N --runs R";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var records = 300_000L;
        var runs = 3;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--records" when i + 1 < args.Length:
                    records = long.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--runs" when i + 1 < args.Length:
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"avro: unknown option '{args[i]}' (options: --records N, --runs R)");
                    return 2;
            }
        }

        if (records <= 0 || runs <= 0)
        {
            Console.Error.WriteLine("avro: --records and --runs must be positive");
            return 2;
        }

        var schema = EventSchema();
        var events = Enumerable.Range(0, (int)Math.Min(records, Distinct)).Select(i => Event(schema, i)).ToArray();
        var dir = Directory.CreateTempSubdirectory("avro-bench-").FullName;
        try
        {
            var schemaPath = Path.Combine(dir, "event.avsc");
            await File.WriteAllTextAsync(schemaPath, AvroSchemaWriter.ToJson(schema), cancellationToken);
            Console.WriteLine($"records: {records:N0} ({events.Length:N0} distinct, cycled); best of {runs} runs after a warm-up");

            Console.WriteLine("building the avro-c harness (gcc, libavro-dev)");
            var harness = await BuildHarnessAsync(dir, cancellationToken);

            // Each phase runs on both sides back to back, so both see about the same load on a shared machine.
            var results = new Dictionary<string, Result>();
            long cDistinct = 0;
            await MeasureStreamsAsync(schema, events, records, runs, dir, async (key, streams) =>
            {
                var avroC = await RunHarnessAsync(harness, schemaPath, records, events.Length, dir, runs, key, cancellationToken);
                cDistinct = avroC.GetProperty("distinct_bytes").GetInt64();
                var phase = avroC.GetProperty(key);
                results[key] = new Result(streams.Time, streams.Bytes,
                    TimeSpan.FromSeconds(phase.GetProperty("seconds").GetDouble()), phase.GetProperty("bytes").GetInt64());
            }, cancellationToken);

            // Same work: the distinct records must encode to the same byte count on both sides.
            var streamsDistinct = events.Sum(e => (long)AvroDatumWriter.For(schema).ToArray(e).Length);
            Console.WriteLine();
            Console.WriteLine($"encoded size of the {events.Length:N0} distinct records: Streams {streamsDistinct:N0} B, avro-c {cDistinct:N0} B " +
                $"({(double)streamsDistinct / events.Length:F1} B/record)");
            if (streamsDistinct != cDistinct)
            {
                Console.Error.WriteLine("avro: the two sides encode different data; the formulas in AvroBenchmark.Event and avro_bench.c differ");
                return 1;
            }

            Console.WriteLine("Apache.Avro 1.12.2: the same phases on the same records");
            var apache = ApacheAvroPhases.Measure(schema, events, records, runs, dir, BlockSize);
            PrintTable(records, results, apache);
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Measures each phase on the Streams side and hands the result to <paramref name="reference"/>, which measures avro-c.</summary>
    private static async Task MeasureStreamsAsync(RecordSchema schema, GenericRecord[] events, long records, int runs, string dir,
        Func<string, (TimeSpan Time, long Bytes), Task> reference, CancellationToken cancellationToken)
    {
        async Task PhaseAsync(string key, string label, Func<Task<long>> phase) =>
            await reference(key, await MeasureAsync(label, runs, phase));

        var writer = AvroDatumWriter.For(schema);

        // Encode: the compiled writer into a reused 1 MiB buffer, as the C side does.
        using var buffer = new ByteBuffer(1 << 20);
        await PhaseAsync("encode", "encode", () =>
        {
            long bytes = 0;
            for (var i = 0L; i < records; i++)
            {
                if (buffer.Length > (1 << 20) - 4096)
                {
                    bytes += buffer.Length;
                    buffer.Clear();
                }

                writer.Write(events[i % events.Length], buffer);
            }

            bytes += buffer.Length;
            buffer.Clear();
            return Task.FromResult(bytes);
        });

        // Decode: the distinct records encoded back to back, read repeatedly with the compiled reader.
        var encoded = events.SelectMany(writer.ToArray).ToArray();
        var reader = AvroDatumReader.For(schema);
        await PhaseAsync("decode", "decode", () =>
        {
            var done = 0L;
            while (done < records)
            {
                var input = new AvroReader(encoded);
                while (!input.IsAtEnd && done < records)
                {
                    reader.Read(ref input);
                    done++;
                }
            }

            return Task.FromResult(encoded.LongLength * records / events.Length);
        });

        foreach (var codec in new[] { "null", "deflate" })
        {
            var path = Path.Combine(dir, $"streams-{codec}.avro");
            var options = new AvroFileWriterOptions { Codec = AvroCodec.FromName(codec)!, BlockSize = BlockSize };
            await PhaseAsync($"file_write_{codec}", $"file write ({codec})", async () =>
            {
                await using (var file = AvroFileWriter.Create(path, schema, options))
                {
                    for (var i = 0L; i < records; i++)
                    {
                        await file.WriteAsync(events[i % events.Length], cancellationToken);
                    }
                }

                return new FileInfo(path).Length;
            });
            await PhaseAsync($"file_read_{codec}", $"file read ({codec})", async () =>
            {
                await using var file = await AvroFileReader.OpenAsync(path, cancellationToken: cancellationToken);
                var n = 0L;
                while (await file.ReadBlockAsync(cancellationToken) is { } block)
                {
                    n += block.Records.Count;
                }

                if (n != records)
                {
                    throw new InvalidOperationException($"read {n} records from {path}, expected {records}");
                }

                return new FileInfo(path).Length;
            });
        }
    }

    /// <summary>Runs <paramref name="phase"/> once to warm up (JIT, tiering, page cache) and then <paramref name="runs"/> times; the best time counts.</summary>
    private static async Task<(TimeSpan Time, long Bytes)> MeasureAsync(string label, int runs, Func<Task<long>> phase)
    {
        var bytes = await phase();
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            bytes = await phase();
            best = stopwatch.Elapsed < best ? stopwatch.Elapsed : best;
        }

        Console.WriteLine($"Streams {label,-20} {best.TotalMilliseconds,8:F0} ms");
        return (best, bytes);
    }

    private static async Task<string> BuildHarnessAsync(string dir, CancellationToken cancellationToken)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "avro-c", "avro_bench.c");
        var binary = Path.Combine(dir, "avro_bench");
        // pkg-config names libavro's flags where the .pc file is installed; plain -lavro otherwise.
        var (exit, output) = await RunAsync("/bin/sh",
            ["-c", "gcc -O2 \"$1\" -o \"$2\" $(pkg-config --cflags --libs avro-c 2>/dev/null || echo -lavro)", "sh", source, binary],
            cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"gcc could not build {source} (install gcc and libavro-dev: scripts/setup):\n{output}");
        }

        return binary;
    }

    private static async Task<JsonElement> RunHarnessAsync(string harness, string schemaPath, long records, int distinct, string dir,
        int runs, string phase, CancellationToken cancellationToken)
    {
        var (exit, output) = await RunAsync(harness,
            [schemaPath, records.ToString(CultureInfo.InvariantCulture), distinct.ToString(CultureInfo.InvariantCulture), dir,
                runs.ToString(CultureInfo.InvariantCulture), phase],
            cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{harness} exited with {exit}:\n{output}");
        }

        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>Runs a program, passing its standard error through as progress; returns the exit code and standard output.</summary>
    private static async Task<(int Exit, string Output)> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.WriteLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, output);
    }

    private static void PrintTable(long records, Dictionary<string, Result> results, Dictionary<string, (TimeSpan Time, long Bytes)> apache)
    {
        Console.WriteLine();
        Console.WriteLine($"{"phase",-22}{"Streams rec/s",15}{"MB/s",9}{"avro-c rec/s",15}{"MB/s",9}{"Streams/avro-c",16}{"Apache rec/s",15}{"Streams/Apache",16}");
        foreach (var (key, label) in Phases)
        {
            var r = results[key];
            var a = apache[key];
            Console.WriteLine($"{label,-22}{records / r.Streams.TotalSeconds,15:N0}{r.StreamsBytes / r.Streams.TotalSeconds / 1e6,9:F1}" +
                $"{records / r.AvroC.TotalSeconds,15:N0}{r.AvroCBytes / r.AvroC.TotalSeconds / 1e6,9:F1}{r.AvroC / r.Streams,15:F2}x" +
                $"{records / a.Time.TotalSeconds,15:N0}{a.Time / r.Streams,15:F2}x");
        }

        Console.WriteLine("(MB/s counts encoded bytes for encode/decode and file bytes for files; ratio > 1 means Streams is faster)");
    }

    /// <summary>One phase's best time and bytes processed on each side.</summary>
    private sealed record Result(TimeSpan Streams, long StreamsBytes, TimeSpan AvroC, long AvroCBytes);

    /// <summary>The event schema; avro_bench.c reads it as JSON and fills fields by position.</summary>
    internal static RecordSchema EventSchema()
    {
        var timestamp = new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros);
        return new RecordSchema(new SchemaName("Event", "bench"), [
            new Field("event_id", PrimitiveSchema.Long),
            new Field("session_id", PrimitiveSchema.Long),
            new Field("user_id", PrimitiveSchema.Long),
            new Field("occurred_at", timestamp),
            new Field("received_at", timestamp),
            new Field("event_type", new EnumSchema(new SchemaName("EventType", "bench"), EventTypes)),
            new Field("user_agent", PrimitiveSchema.String),
            new Field("url", PrimitiveSchema.String),
            new Field("referrer", UnionSchema.Nullable(PrimitiveSchema.String)),
            new Field("country", PrimitiveSchema.String),
            new Field("city", PrimitiveSchema.String),
            new Field("device_type", PrimitiveSchema.String),
            new Field("screen_width", PrimitiveSchema.Int),
            new Field("screen_height", PrimitiveSchema.Int),
            new Field("duration_ms", PrimitiveSchema.Int),
            new Field("price", PrimitiveSchema.Double),
            new Field("latitude", PrimitiveSchema.Double),
            new Field("is_mobile", PrimitiveSchema.Boolean),
            new Field("tags", new ArraySchema(PrimitiveSchema.String)),
            new Field("counters", new MapSchema(PrimitiveSchema.Long)),
        ]);
    }

    /// <summary>Event <paramref name="i"/>; fill_event in avro_bench.c uses the same formulas.</summary>
    internal static GenericRecord Event(RecordSchema schema, long i)
    {
        var occurred = 1_704_067_200_000_000L + i * 1_234_567;
        var tags = new List<object?>();
        for (var k = 0L; k < i % 3 + 1; k++)
        {
            tags.Add(Tags[(i + k) % 5]);
        }

        var counters = new Dictionary<string, object?> { ["clicks"] = i % 50, ["scroll_px"] = i * 13 % 20_000 };
        if (i % 2 == 0)
        {
            counters["errors"] = i % 3;
        }

        return new GenericRecord(schema, [
            1_000_000_000L + i,
            500_000L + i / 7,
            i * 7919 % 1_000_003,
            DateTime.UnixEpoch.AddTicks(occurred * 10),
            DateTime.UnixEpoch.AddTicks((occurred + i % 1000 * 1000) * 10),
            EventTypes[i % 5],
            UserAgents[i % 4],
            $"https://shop.example.com/products/{i % 5000}?ref=campaign-{i % 37}",
            i % 3 == 0 ? null : $"https://www.google.com/search?q=item+{i % 1000}",
            Countries[i % 8],
            Cities[i % 7],
            Devices[i % 3],
            Widths[i % 3],
            Heights[i % 3],
            (int)(i * 37 % 60_000),
            i % 10_000 * 0.01 + 0.99,
            -90.0 + i % 18_000 * 0.01,
            i % 3 == 1,
            tags,
            counters,
        ]);
    }
}
