using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Streams.Testing;

namespace Streams.Catalog.Tests;

/// <summary>s3rver (an independent S3 implementation, from tools/node_modules) on a free port with one bucket.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "lake";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "s3rver-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    public string ServiceUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var port = FreePort();
        var script = Path.Combine(ExternalTool.RepositoryRoot, "tools", "node_modules", "s3rver", "bin", "s3rver.js");
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, "-d", _directory, "-a", "127.0.0.1", "-p", port.ToString(), "--configure-bucket", Bucket, "--silent" })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("Could not start s3rver.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        ServiceUrl = $"http://127.0.0.1:{port}";
        var deadline = DateTime.UtcNow.AddSeconds(60); // node starts slowly on a loaded 2-core machine
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
