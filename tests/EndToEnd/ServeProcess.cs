using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// One real <c>streams serve</c> process (the built executable) on a free 127.0.0.1 port against the given
/// PostgreSQL database, started and waited for until <c>/health</c> reports PostgreSQL, the registry store and the
/// lake up (it has no Kafka broker); disposing stops it with SIGTERM and
/// kills it if it has not exited in time.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly DirectoryInfo _lake;

    private ServeProcess(Process process, Task<string> stderr, DirectoryInfo lake, string url)
    {
        _process = process;
        _stderr = stderr;
        _lake = lake;
        Url = url;
    }

    /// <summary>The API's base URL, without a trailing slash.</summary>
    public string Url { get; }

    /// <summary>
    /// Starts <c>streams serve</c> and waits until it is healthy (at most 60 s); <paramref name="environment"/> adds to
    /// (or overrides) the process's settings, such as a real Kafka address.
    /// </summary>
    public static async Task<ServeProcess> StartAsync(string postgresConnectionString, IReadOnlyDictionary<string, string>? environment = null)
    {
        var lake = Directory.CreateTempSubdirectory("streams-serve-");
        var url = $"http://127.0.0.1:{FreePort()}";
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = lake.FullName,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "streams.dll"));
        info.ArgumentList.Add("serve");
        info.Environment["STREAMS__POSTGRES__CONNECTIONSTRING"] = postgresConnectionString;
        // serve requires a Kafka address; the registry never connects to it.
        info.Environment["STREAMS__KAFKA__BOOTSTRAPSERVERS"] = "127.0.0.1:1";
        info.Environment["STREAMS__LAKE__ROOT"] = lake.FullName;
        info.Environment["STREAMS__API__URL"] = url;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        // Drain both pipes so that a chatty host never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        var serve = new ServeProcess(process, process.StandardError.ReadToEndAsync(), lake, url);
        try
        {
            await serve.WaitHealthyAsync();
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Whether a /health answer says every dependency but Kafka is up: these hosts get no broker on purpose
    /// (the registry never connects to it), so /health answers 503 for Kafka alone when they are ready.
    /// </summary>
    private static bool IsReadyWithoutKafka(string health)
    {
        try
        {
            var dependencies = System.Text.Json.Nodes.JsonNode.Parse(health)?["dependencies"]?.AsObject();
            return dependencies is not null && dependencies.Count > 1
                && dependencies.Where(d => d.Key != "kafka").All(d => d.Value?["state"]?.GetValue<string>() == "up");
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private async Task WaitHealthyAsync()
    {
        // Above /health's probe deadline (3 s), which the absent Kafka broker always reaches.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"streams serve exited with {_process.ExitCode}: {await _stderr}");
            }

            try
            {
                using var response = await http.GetAsync(Url + "/health");
                if (response.IsSuccessStatusCode || IsReadyWithoutKafka(await response.Content.ReadAsStringAsync()))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"streams serve at {Url} was not healthy within 60 s");
            }

            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the process with SIGKILL (a host dying: nothing is handed back).</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Calls a Glue operation of this host over HTTP (no SigV4: the host has no access keys) and returns its JSON answer.</summary>
    public Task<System.Text.Json.JsonElement> GlueAsync(string operation, string body) => Streams.Testing.GlueHttp.CallAsync(Url, operation, body);

    /// <summary>Stops the process: SIGTERM, then a kill after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
            _lake.Delete(recursive: true);
        }
    }
}
