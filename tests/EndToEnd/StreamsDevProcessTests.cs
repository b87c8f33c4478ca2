using System.Diagnostics;
using Npgsql;
using Streams.Testing;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// Runs the real <c>streams</c> executable as a user would (<c>streams dev</c>), parses the three
/// lines it promises, and talks to each piece from outside the process: kcat over the Kafka
/// protocol, Npgsql, and HTTP.
/// </summary>
public sealed class StreamsDevProcessTests
{
    [Fact]
    public async Task Streams_dev_prints_three_parsable_lines_serves_each_piece_and_stops_on_sigterm()
    {
        var state = Directory.CreateTempSubdirectory("streams-e2e-");
        state.UnixFileMode |= UnixFileMode.OtherExecute | UnixFileMode.OtherRead | UnixFileMode.GroupExecute | UnixFileMode.GroupRead;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = state.FullName,
        };
        foreach (var a in (string[])[Streams, "dev", "--port", "0"])
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var errorLines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                errorLines.Enqueue(e.Data);
            }
        };
        process.BeginErrorReadLine();
        string Stderr() => string.Join('\n', errorLines);
        try
        {
            var lines = new Dictionary<string, string>();
            using var startup = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (lines.Count < 3)
            {
                var line = await process.StandardOutput.ReadLineAsync(startup.Token)
                    ?? throw new InvalidOperationException($"streams dev exited early: {Stderr()}");
                var colon = line.IndexOf(": ", StringComparison.Ordinal);
                lines.Add(line[..colon], line[(colon + 2)..]);
            }

            lines.Keys.Should().Equal("kafka", "postgres", "api");
            lines["kafka"].Should().MatchRegex(@"^127\.0\.0\.1:\d+$");
            lines["api"].Should().MatchRegex(@"^http://127\.0\.0\.1:\d+$");

            // Kafka, from another process over the wire protocol: the broker is listed, and takes a round trip.
            var metadata = await ExternalTool.RunAsync("kcat", ["-b", lines["kafka"], "-L"]);
            metadata.Should().Contain("1 brokers:").And.Contain($"at {lines["kafka"]}");
            await ExternalTool.RunAsync("kcat", ["-b", lines["kafka"], "-P", "-t", "e2e", "-K", ":"], stdin: "a:one\nb:two\n");
            var consumed = await ExternalTool.RunAsync("kcat", ["-b", lines["kafka"], "-C", "-t", "e2e", "-e", "-q", "-f", "%k=%s\n"]);
            consumed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo("a=one", "b=two");

            // PostgreSQL from psql, with the libpq form printed on stderr beside the Npgsql one.
            var psqlLine = await WaitForLineAsync(errorLines, "psql \"");
            var conninfo = psqlLine["psql \"".Length..^1];
            (await ExternalTool.RunAsync("psql", [conninfo, "-tAc", "select 1"])).Trim().Should().Be("1");

            // PostgreSQL, with the printed connection string as is.
            await using (var connection = new NpgsqlConnection(lines["postgres"]))
            {
                await connection.OpenAsync();
                (await new NpgsqlCommand("SELECT current_database()", connection).ExecuteScalarAsync()).Should().Be("streams");
            }

            using (var http = new HttpClient())
            {
                (await http.GetStringAsync(lines["api"] + "/health")).Should().Contain("\"ok\"");
            }

            // CLI commands run from the same directory find the running stack through .streams/dev.json.
            File.Exists(Path.Combine(state.FullName, ".streams", "dev.json")).Should().BeTrue();
            await ExternalTool.RunAsync("dotnet", [Streams, "registry", "register", "orders-value", WriteSchema(state.FullName)],
                workingDirectory: state.FullName);
            (await ExternalTool.RunAsync("dotnet", [Streams, "registry", "subjects"], workingDirectory: state.FullName))
                .Should().Contain("orders-value");

            await ExternalTool.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(shutdown.Token);
            process.ExitCode.Should().Be(0, Stderr());

            File.Exists(Path.Combine(state.FullName, ".streams", "dev.json")).Should().BeFalse("a stopped stack withdraws its endpoints");
            // Nothing is left behind: no port answers, no PostgreSQL runs from the state directory.
            foreach (var endpoint in new[] { lines["kafka"], new Uri(lines["api"]).Authority, $"127.0.0.1:{new NpgsqlConnectionStringBuilder(lines["postgres"]).Port}" })
            {
                var port = int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                using var probe = new System.Net.Sockets.TcpClient();
                var connect = () => probe.ConnectAsync("127.0.0.1", port);
                await connect.Should().ThrowAsync<System.Net.Sockets.SocketException>($"{endpoint} should be closed after SIGTERM");
            }

            var leftovers = await ExternalTool.RunAsync("ps", ["-eo", "args"]);
            leftovers.Split('\n').Where(l => l.Contains(state.FullName, StringComparison.Ordinal)).Should().BeEmpty();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            state.Delete(recursive: true);
        }
    }

    private static string Streams => Path.Combine(AppContext.BaseDirectory, "streams.dll");

    private static string WriteSchema(string directory)
    {
        var path = Path.Combine(directory, "order.avsc");
        File.WriteAllText(path, """{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "long"}]}""");
        return path;
    }

    private static async Task<string> WaitForLineAsync(System.Collections.Concurrent.ConcurrentQueue<string> lines, string prefix)
    {
        for (var i = 0; i < 100; i++)
        {
            if (lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"No line starting with {prefix} on stderr: {string.Join('\n', lines)}");
    }
}
