using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Streams.Api.Registry;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Model;
using Streams.Registry;
using Streams.Registry.Client;
using Streams.Registry.Serdes;
using Streams.Testing;

namespace Streams.Benchmarks;

/// <summary>
/// The schema registry: (a) the Confluent wire-format serializer and deserializer with a warm schema cache beside
/// raw Avro encode/decode (the compiled datum writer/reader) of the same records in the same run, reporting the
/// serdes overhead; (b) <c>GET /schemas/ids/{id}</c> served by Kestrel over PostgreSQL under load from a second
/// process, <c>wrk</c>, reporting requests/s and latency percentiles.
/// </summary>
public sealed partial class RegistryBenchmark : IBenchmark
{
    private const int Connections = 32;

    /// <inheritdoc />
    public string Name => "registry";

    /// <inheritdoc />
    public string Description =>
        "Avro serdes vs raw Avro encode/decode; GET /schemas/ids/{id} under wrk load (--records N, default 1000000; --seconds N, default 10)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var records = 1_000_000;
        var seconds = 10;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--records" when i + 1 < args.Length:
                    records = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--seconds" when i + 1 < args.Length:
                    seconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option '{args[i]}'; options: --records N, --seconds N");
                    return 2;
            }
        }

        if (!BenchPostgres.TryConfigure("registry"))
        {
            return 2;
        }

        if (FindOnPath("wrk") is not { } wrk)
        {
            Console.Error.WriteLine("The registry benchmark loads the server with wrk: install it (apt-get install wrk, or scripts/setup).");
            return 2;
        }

        await using var database = await TestPostgres.CreateDatabaseAsync(cancellationToken);
        var connectionString = database.ConnectionString;
        await using var server = await TestWebServer.StartAsync(
            builder => builder.Services.AddSchemaRegistry(connectionString), app => app.MapSchemaRegistry());
        var registryUrl = server.Url + SchemaRegistryEndpoints.DefaultPathBase;
        Console.WriteLine($"registry: {registryUrl} over database {database.Name}");

        using var client = new CachedSchemaRegistryClient(registryUrl);
        var serdes = RunSerdes(client, records);

        var ids = await RegisterSchemasAsync(client, cancellationToken);
        var load = await RunWrkAsync(wrk, registryUrl, ids, seconds, cancellationToken);

        Console.WriteLine();
        Console.WriteLine("summary");
        Console.WriteLine($"  serialize:   {serdes.Serialize:N0} records/s vs raw encode {serdes.Encode:N0} records/s: overhead {Overhead(serdes.Serialize, serdes.Encode):F1}% (target < 10%)");
        Console.WriteLine($"  deserialize: {serdes.Deserialize:N0} records/s vs raw decode {serdes.Decode:N0} records/s: overhead {Overhead(serdes.Deserialize, serdes.Decode):F1}% (target < 10%)");
        Console.WriteLine($"  GET /schemas/ids/{{id}}: {load.RequestsPerSecond:N0} requests/s, latency p50 {load.P50} p99 {load.P99} ({Connections} connections, {seconds} s, wrk)");
        return 0;
    }

    /// <summary>Overhead of the serdes path over the raw one, in percent of the raw time per record.</summary>
    private static double Overhead(double serdesPerSecond, double rawPerSecond) => (rawPerSecond / serdesPerSecond - 1) * 100;

    private static (double Encode, double Serialize, double Decode, double Deserialize) RunSerdes(ISchemaRegistryClient client, int count)
    {
        var schema = AvroBenchmark.EventSchema();
        var records = Enumerable.Range(0, Math.Min(count, 10_000)).Select(i => AvroBenchmark.Event(schema, i)).ToArray();
        var context = new SerializationContext(MessageComponentType.Value, "bench-events");
        var serializer = (ISerializer<GenericRecord>)new AvroSerializer(client);
        var deserializer = (IDeserializer<GenericRecord>)new AvroDeserializer(client);
        var writer = AvroDatumWriter.For(schema);
        var reader = AvroDatumReader.For(schema);
        Console.WriteLine($"serdes: {count:N0} records ({records.Length:N0} distinct, cycled) of {schema.FullName}, each to and from its own byte[]");

        // Warm the caches: the first call registers the schema and the first read fetches it by id.
        var framed = records.Select(r => serializer.Serialize(r, context)).ToArray();
        var raw = records.Select(writer.ToArray).ToArray();
        if (!deserializer.Deserialize(framed[0], false, context).Equals(records[0]))
        {
            throw new InvalidOperationException("the serializer's output does not read back as the record written");
        }

        // Each raw/serdes pair runs alternately, best of five rounds, so that both see the same machine state.
        var (encode, serialize) = MeasurePair(count,
            ("raw encode (AvroDatumWriter.ToArray)", () =>
            {
                for (var i = 0; i < count; i++)
                {
                    writer.ToArray(records[i % records.Length]);
                }
            }),
            ("serialize (AvroSerializer, warm cache)", () =>
            {
                for (var i = 0; i < count; i++)
                {
                    serializer.Serialize(records[i % records.Length], context);
                }
            }));
        var (decode, deserialize) = MeasurePair(count,
            ("raw decode (AvroDatumReader)", () =>
            {
                for (var i = 0; i < count; i++)
                {
                    // The same checked whole-datum read the deserializer makes after the header.
                    reader.Read(raw[i % raw.Length]);
                }
            }),
            ("deserialize (AvroDeserializer, warm cache)", () =>
            {
                for (var i = 0; i < count; i++)
                {
                    deserializer.Deserialize(framed[i % framed.Length], false, context);
                }
            }));
        return (encode, serialize, decode, deserialize);
    }

    private static (double Raw, double Serdes) MeasurePair(int count, (string What, Action Run) raw, (string What, Action Run) serdes)
    {
        raw.Run(); // warm-up: JIT and tiering
        serdes.Run();
        var best = (Raw: TimeSpan.MaxValue, Serdes: TimeSpan.MaxValue);
        for (var round = 0; round < 5; round++)
        {
            var sw = Stopwatch.StartNew();
            raw.Run();
            best.Raw = sw.Elapsed < best.Raw ? sw.Elapsed : best.Raw;
            sw.Restart();
            serdes.Run();
            best.Serdes = sw.Elapsed < best.Serdes ? sw.Elapsed : best.Serdes;
        }

        return (Report(raw.What, best.Raw), Report(serdes.What, best.Serdes));

        double Report(string what, TimeSpan time)
        {
            var perSecond = count / time.TotalSeconds;
            Console.WriteLine($"  {what,-44} {time.TotalMilliseconds,8:F0} ms {perSecond,14:N0} records/s");
            return perSecond;
        }
    }

    private static async Task<int[]> RegisterSchemasAsync(ISchemaRegistryClient client, CancellationToken cancellationToken)
    {
        var ids = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            var schema = $$"""{"type":"record","name":"Load{{i}}","namespace":"bench","fields":[{"name":"id","type":"long"},{"name":"v{{i}}","type":"string"}]}""";
            ids.Add(await client.RegisterSchemaAsync($"load-{i}-value", new SchemaSubmission(schema), cancellationToken: cancellationToken));
        }

        Console.WriteLine($"registered schema ids for the load: {string.Join(", ", ids)}");
        return [.. ids];
    }

    private static async Task<(double RequestsPerSecond, string P50, string P99)> RunWrkAsync(string wrk, string registryUrl, int[] ids,
        int seconds, CancellationToken cancellationToken)
    {
        // The requests cycle through the registered ids; any answer but 200 counts as an error and fails the run.
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, $$"""
            local ids = { {{string.Join(", ", ids)}} }
            local n = 0
            request = function()
              n = n + 1
              return wrk.format("GET", "{{new Uri(registryUrl).AbsolutePath}}/schemas/ids/" .. ids[(n % #ids) + 1])
            end
            """, cancellationToken);
        try
        {
            using (var probe = new HttpClient())
            {
                // A probe first, so that a broken endpoint fails here with its answer rather than as a wrk error count.
                using var answer = await probe.GetAsync($"{registryUrl}/schemas/ids/{ids[0]}", cancellationToken);
                answer.EnsureSuccessStatusCode();
            }

            Console.WriteLine($"load: wrk, 2 threads, {Connections} connections, {seconds} s, GET /schemas/ids/{{id}} over {ids.Length} ids");
            var info = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in (string[])["-t2", $"-c{Connections}", $"-d{seconds}s", "--latency", "-s", script, registryUrl])
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start wrk");
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Console.WriteLine("  " + line.Trim());
            }

            if (process.ExitCode != 0 || output.Contains("Non-2xx", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"wrk failed (exit {process.ExitCode}) or saw error answers; output above");
            }

            var rps = double.Parse(RequestsPerSecondLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            return (rps, Percentile(output, "50%"), Percentile(output, "99%"));
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string Percentile(string wrkOutput, string which) =>
        Regex.Match(wrkOutput, $@"^\s*{Regex.Escape(which)}\s+(\S+)", RegexOptions.Multiline).Groups[1].Value;

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecondLine();

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
