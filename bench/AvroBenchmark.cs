using System.Diagnostics;
using Streams.Formats;
using Streams.Formats.Avro;
using Streams.Formats.Json;
using Streams.Formats.Model;

namespace Streams.Benchmarks;

/// <summary>
/// Avro binary encode/decode throughput of the compiled plans, and container file decoding beside avro-c's
/// <c>avrocat</c> over the same file in the same run. avrocat decodes and prints JSON, so the fair pair is
/// avrocat against Streams decoding plus JSON lines rendering; pure decode is reported too.
/// </summary>
public sealed class AvroBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "avro";

    /// <inheritdoc />
    public string Description => "Avro encode/decode throughput; file decode vs avro-c avrocat (--records N, default 500000)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = args.Length >= 2 && args[0] == "--records" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500_000;
        var schema = EventSchema();
        var records = Enumerable.Range(0, Math.Min(count, 10_000)).Select(i => Event(schema, i)).ToArray();
        var dir = Directory.CreateTempSubdirectory("avro-bench-").FullName;
        try
        {
            Console.WriteLine($"schema: {AvroSchemaWriter.ToJson(schema)}");
            Console.WriteLine($"records: {count:N0} (10,000 distinct, cycled)");

            // Encode: the compiled writer into a reused buffer.
            var writer = AvroDatumWriter.For(schema);
            using var buffer = new ByteBuffer(1 << 20);
            long bytes = 0;
            var encode = Measure(() =>
            {
                bytes = 0;
                for (var i = 0; i < count; i++)
                {
                    if (buffer.Length > (1 << 20) - 4096)
                    {
                        bytes += buffer.Length;
                        buffer.Clear();
                    }

                    writer.Write(records[i % records.Length], buffer);
                }

                bytes += buffer.Length;
                buffer.Clear();
            });
            Report("encode (datum writer)", count, encode, bytes);

            // Decode from memory: the compiled reader alone, no I/O or block handling.
            var encoded = records.Select(r => writer.ToArray(r)).SelectMany(b => b).ToArray();
            var reader = AvroDatumReader.For(schema);
            var decodeMemory = Measure(() =>
            {
                var done = 0;
                while (done < count)
                {
                    var input = new AvroReader(encoded);
                    while (!input.IsAtEnd && done < count)
                    {
                        reader.Read(ref input);
                        done++;
                    }
                }
            });
            Report("decode (datum reader, memory)", count, decodeMemory, (long)encoded.Length * count / records.Length);

            // Files with each codec.
            var paths = new Dictionary<string, string>();
            foreach (var codec in AvroCodec.SupportedNames)
            {
                var path = Path.Combine(dir, $"events-{codec}.avro");
                paths[codec] = path;
                var write = await MeasureAsync(async () =>
                {
                    await using var file = AvroFileWriter.Create(path, schema, new AvroFileWriterOptions { Codec = AvroCodec.FromName(codec)! });
                    for (var i = 0; i < count; i++)
                    {
                        await file.WriteAsync(records[i % records.Length], cancellationToken);
                    }
                });
                Report($"file write ({codec})", count, write, new FileInfo(path).Length);
            }

            var decodeTimes = new Dictionary<string, TimeSpan>();
            foreach (var (codec, path) in paths)
            {
                var decode = await MeasureAsync(async () =>
                {
                    await using var file = await AvroFileReader.OpenAsync(path, cancellationToken: cancellationToken);
                    var n = 0L;
                    while (await file.ReadBlockAsync(cancellationToken) is { } block)
                    {
                        n += block.Records.Count;
                    }

                    if (n != count)
                    {
                        throw new InvalidOperationException($"read {n} records, expected {count}");
                    }
                });
                decodeTimes[codec] = decode;
                Report($"file decode ({codec})", count, decode, new FileInfo(path).Length);
            }

            var nullFile = paths["null"];
            var render = await MeasureAsync(async () =>
            {
                await using var file = await AvroFileReader.OpenAsync(nullFile, cancellationToken: cancellationToken);
                await using var json = new JsonLinesWriter(Stream.Null, file.ReaderSchema);
                while (await file.ReadBlockAsync(cancellationToken) is { } block)
                {
                    foreach (var record in block.Records)
                    {
                        await json.WriteAsync(record, cancellationToken);
                    }
                }
            });
            Report("decode + JSON lines (null)", count, render, new FileInfo(nullFile).Length);

            var avrocat = await MeasureAsync(() => RunAvrocat(nullFile, cancellationToken));
            Report("avro-c avrocat > /dev/null (null)", count, avrocat, new FileInfo(nullFile).Length);
            var avrocatDeflate = await MeasureAsync(() => RunAvrocat(paths["deflate"], cancellationToken));
            Report("avro-c avrocat > /dev/null (deflate)", count, avrocatDeflate, new FileInfo(paths["deflate"]).Length);

            Console.WriteLine();
            Console.WriteLine($"ratio avrocat / Streams decode+JSON (null):   {avrocat / render:F2}x");
            Console.WriteLine($"ratio avrocat / Streams decode only (null):   {avrocat / decodeTimes["null"]:F2}x");
            Console.WriteLine($"ratio avrocat / Streams decode only (deflate): {avrocatDeflate / decodeTimes["deflate"]:F2}x");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task RunAvrocat(string path, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("avrocat \"$1\" > /dev/null");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(path);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start avrocat");
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"avrocat exited with {process.ExitCode}");
        }
    }

    private static TimeSpan Measure(Action action)
    {
        action(); // warm-up: JIT and tiering
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            best = sw.Elapsed < best ? sw.Elapsed : best;
        }

        return best;
    }

    private static async Task<TimeSpan> MeasureAsync(Func<Task> action)
    {
        await action();
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            await action();
            best = sw.Elapsed < best ? sw.Elapsed : best;
        }

        return best;
    }

    private static void Report(string what, long records, TimeSpan time, long bytes) =>
        Console.WriteLine($"{what,-40} {time.TotalMilliseconds,9:F0} ms {records / time.TotalSeconds,14:N0} records/s {bytes / time.TotalSeconds / 1e6,9:F1} MB/s");

    internal static RecordSchema EventSchema()
    {
        var kind = new EnumSchema(new SchemaName("Kind", "bench"), ["VIEW", "CLICK", "BUY"]);
        return new RecordSchema(new SchemaName("Event", "bench"), [
            new Field("id", PrimitiveSchema.Long),
            new Field("user", PrimitiveSchema.String),
            new Field("kind", kind),
            new Field("at", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros)),
            new Field("amount", PrimitiveSchema.Double),
            new Field("quantity", PrimitiveSchema.Int),
            new Field("coupon", UnionSchema.Nullable(PrimitiveSchema.String)),
            new Field("tags", new ArraySchema(PrimitiveSchema.String)),
            new Field("attrs", new MapSchema(PrimitiveSchema.Long)),
            new Field("ok", PrimitiveSchema.Boolean),
        ]);
    }

    internal static GenericRecord Event(RecordSchema schema, int i) => new(schema, [
        1_000_000_000L + i,
        $"user-{i % 977:D5}",
        (i % 3) switch { 0 => "VIEW", 1 => "CLICK", _ => "BUY" },
        new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(i * 12_345_670L),
        i * 0.25,
        i % 10,
        i % 4 == 0 ? $"SAVE{i % 50}" : null,
        new List<object?> { "web", i % 2 == 0 ? "mobile" : "desktop" },
        new Dictionary<string, object?> { ["page"] = (long)(i % 100), ["ms"] = (long)(i % 3000) },
        i % 5 != 0,
    ]);
}
