using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Streams.Streaming.Tests.Speed;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// Scale-out: two <c>streams stream</c> processes of one pipeline split the topic's partitions (each reports its own
/// at /api/status); when one stops, the other takes its partitions over, and the totals stay exact. The embedded
/// broker refuses offset commits while its group rebalances, which used to leave the remaining process's Streamiz
/// thread asleep for good (see PositionsInPostgresConsumer).
/// </summary>
public sealed class ScaleOutTests() : StreamProcessTestBase("streams-scale-out-")
{
    [Fact]
    public async Task Two_processes_split_the_partitions_and_one_takes_all_when_the_other_stops()
    {
        var spec = Path.Combine(WorkDirectory.FullName, "sales.yaml");
        await File.WriteAllTextAsync(spec, SalesEvents.PipelineYaml);
        await Producer.ProduceAsync(0, 200);
        using var http = new HttpClient();
        var (urlA, urlB) = ($"http://127.0.0.1:{FreePort()}", $"http://127.0.0.1:{FreePort()}");
        await using var a = StreamProcess.Start(spec, ProcessEnvironment(), "--metrics-url", urlA);
        await using var b = StreamProcess.Start(spec, ProcessEnvironment(), "--metrics-url", urlB);
        var producing = Producer.ProduceAsync(200, 1800, pause: TimeSpan.FromMilliseconds(300));

        var deadline = DateTime.UtcNow.AddSeconds(120);
        List<int> ownedByA, ownedByB;
        while (true)
        {
            (ownedByA, ownedByB) = (await OwnedAsync(http, urlA), await OwnedAsync(http, urlB));
            if (ownedByA.Count > 0 && ownedByB.Count > 0 && ownedByA.Concat(ownedByB).Order().SequenceEqual([0, 1, 2, 3]))
            {
                break;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"two members should split the 4 partitions (A has [{string.Join(",", ownedByA)}], B [{string.Join(",", ownedByB)}]): {a.Stderr}\n{b.Stderr}");
            await Task.Delay(250);
        }

        ownedByA.Intersect(ownedByB).Should().BeEmpty();
        (await a.TerminateAsync()).Should().Be(0, a.Stderr);
        while ((await OwnedAsync(http, urlB)).Count < 4)
        {
            DateTime.UtcNow.Should().BeBefore(deadline.AddSeconds(60), $"B should take over A's partitions (it has [{string.Join(",", await OwnedAsync(http, urlB))}]): A: {a.Stderr}\nB: {b.Stderr}");
            await Task.Delay(250);
        }

        await producing;
        while (await Stack.RecordsAccountedAsync() < Producer.Produced)
        {
            b.HasExited.Should().BeFalse(b.Stderr);
            DateTime.UtcNow.Should().BeBefore(deadline.AddSeconds(120), b.Stderr);
            await Task.Delay(200);
        }

        (await b.TerminateAsync()).Should().Be(0, b.Stderr);
        await Stack.AssertExactAsync(Producer);
    }

    private static async Task<List<int>> OwnedAsync(HttpClient http, string url)
    {
        try
        {
            var status = await http.GetFromJsonAsync<JsonObject>(url + "/api/status");
            return [.. status!["pipelines"]!.AsArray().SelectMany(p => p!["partitions"]!.AsArray().Select(q => q!["partition"]!.GetValue<int>())).Order()];
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
