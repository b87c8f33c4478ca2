using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Streams.Testing;

namespace Streams.Console.Tests;

/// <summary>
/// What the browser tests look at, all real: <c>streams dev</c> (embedded broker, PostgreSQL, lake, API) as a process;
/// the demo's orders schema in two versions; a catalog table with two versions and two partitions and a crawler;
/// <c>streams stream</c> running the demo's revenue pipeline; <c>streams produce --repeat</c> sending orders all along;
/// and one malformed record (kcat, not Avro) in the pipeline's dead letters.
/// </summary>
public sealed class ConsoleStack : IAsyncLifetime
{
    private static readonly string[] DemoFiles = ["order.avsc", "order-v2.avsc", "order-v3-broken.avsc", "revenue_per_hour.yaml", "orders.jsonl"];

    private readonly List<StreamsProcess> _processes = [];
    private DirectoryInfo _directory = null!;

    public string Api { get; private set; } = "";

    public string Directory => _directory.FullName;

    public HttpClient Http { get; } = new();

    public async Task InitializeAsync()
    {
        _directory = System.IO.Directory.CreateTempSubdirectory("streams-console-");
        // The embedded PostgreSQL runs as the postgres user, which must reach the state directory.
        _directory.UnixFileMode |= UnixFileMode.OtherExecute | UnixFileMode.OtherRead | UnixFileMode.GroupExecute | UnixFileMode.GroupRead;
        foreach (var file in DemoFiles)
        {
            File.Copy(Path.Combine(ExternalTool.RepositoryRoot, "examples", "demo", file), Path.Combine(Directory, file));
        }

        var dev = Start("dev", "--port", "0");
        Api = (await dev.WaitForLineAsync("api: ", TimeSpan.FromSeconds(120))).Trim();
        var kafka = (await dev.WaitForLineAsync("kafka: ", TimeSpan.FromSeconds(5))).Trim();
        Http.BaseAddress = new Uri(Api);

        foreach (var schema in new[] { "order.avsc", "order-v2.avsc" })
        {
            var body = new StringContent(JsonSerializer.Serialize(new { schema = await File.ReadAllTextAsync(Path.Combine(Directory, schema)) }),
                Encoding.UTF8, "application/vnd.schemaregistry.v1+json");
            (await Http.PostAsync("/registry/subjects/orders-value/versions", body)).EnsureSuccessStatusCode();
        }

        foreach (var topic in new[] { "orders", "orders.dlq" })
        {
            (await Http.PostAsJsonAsync("/kafka/topics", new { name = topic, partitions = 4 })).EnsureSuccessStatusCode();
        }

        await CatalogAsync();

        var stream = Start("stream", "revenue_per_hour.yaml");
        await ExternalTool.RunAsync("kcat", ["-b", kafka, "-P", "-t", "orders", "-k", "ada"], stdin: "\u0007not avro");
        Start("produce", "orders", "--file", "orders.jsonl", "--subject", "orders-value", "--key", "customer", "--repeat", "--rate", "40");

        // Ready once the stream has committed orders and the malformed record.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var list = JsonNode.Parse(await Http.GetStringAsync("/api/console/pipelines"))!["pipelines"]!.AsArray();
            var pipeline = list.FirstOrDefault(p => (string?)p!["name"] == "revenue_per_hour");
            if (pipeline is not null && (long)pipeline["committedOffsets"]! > 0 && (long)pipeline["deadLetters"]! >= 1)
            {
                break;
            }

            if (stream.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"the pipeline committed nothing in 120 s: {stream.Output}\n{dev.Output}");
            }

            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        // Producer and stream first, the dev stack (which owns the broker and PostgreSQL) last.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }

        Http.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // PostgreSQL files owned by another user may linger a moment; the temp folder is cleaned by the system.
        }
    }

    /// <summary>A Glue JSON API call, failing on an error answer.</summary>
    public async Task<JsonNode> GlueAsync(string operation, object input)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(JsonSerializer.Serialize(input), Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "AWSGlue." + operation);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"{operation} answered {text}");
        return JsonNode.Parse(text)!;
    }

    private StreamsProcess Start(params string[] arguments)
    {
        var process = StreamsProcess.Start(Directory, arguments);
        _processes.Add(process);
        return process;
    }

    /// <summary>A database, a table updated once (two versions: v2 adds a column) with two partitions, and a crawler.</summary>
    private async Task CatalogAsync()
    {
        var location = Path.Combine(Directory, ".streams", "lake", "orders");
        object Table(bool withChannel) => new
        {
            Name = "orders",
            PartitionKeys = new[] { new { Name = "dt", Type = "string" } },
            Parameters = new Dictionary<string, string> { ["classification"] = "parquet" },
            StorageDescriptor = new
            {
                Location = location,
                Columns = new[] { ("order_id", "bigint"), ("customer", "string"), ("amount", "decimal(10,2)"), ("channel", "string") }
                    .Where(c => withChannel || c.Item1 != "channel")
                    .Select(c => new { Name = c.Item1, Type = c.Item2 }).ToArray(),
            },
        };
        await GlueAsync("CreateDatabase", new { DatabaseInput = new { Name = "lake", Description = "the demo's lake" } });
        await GlueAsync("CreateTable", new { DatabaseName = "lake", TableInput = Table(withChannel: false) });
        await GlueAsync("UpdateTable", new { DatabaseName = "lake", TableInput = Table(withChannel: true) });
        foreach (var day in new[] { "2026-11-20", "2026-11-21" })
        {
            await GlueAsync("CreatePartition", new
            {
                DatabaseName = "lake",
                TableName = "orders",
                PartitionInput = new { Values = new[] { day }, StorageDescriptor = new { Location = $"{location}/dt={day}" } },
            });
        }

        await GlueAsync("CreateCrawler", new
        {
            Name = "orders-crawler",
            Role = "unused",
            DatabaseName = "lake",
            Targets = new { S3Targets = new[] { new { Path = location } } },
        });
    }
}
