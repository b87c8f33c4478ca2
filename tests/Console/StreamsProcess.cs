using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Streams.Console.Tests;

/// <summary>One real <c>streams</c> process (the built executable) run in the background, its output lines collected.</summary>
internal sealed class StreamsProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private StreamsProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        process.OutputDataReceived += (_, e) => Add(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Add(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public IReadOnlyCollection<string> StdoutLines => _stdout;

    public string Output => $"{Name}: stdout:\n{string.Join('\n', _stdout)}\nstderr:\n{string.Join('\n', _stderr)}";

    public bool HasExited => _process.HasExited;

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "streams.dll");

    public static StreamsProcess Start(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(Executable);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new StreamsProcess(Process.Start(info)!, "streams " + string.Join(' ', arguments));
    }

    /// <summary>Waits for a standard output line that starts with <paramref name="prefix"/> and returns the rest of it.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_stdout.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
            {
                return line[prefix.Length..];
            }

            if (_process.HasExited || clock.Elapsed > timeout)
            {
                throw new InvalidOperationException($"no line '{prefix}' within {timeout} (exited: {_process.HasExited}). {Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited within 30 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
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

        _process.Dispose();
    }

    private static void Add(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
