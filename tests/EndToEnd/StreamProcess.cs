using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// One real <c>streams stream PIPELINE.yaml</c> process (the built executable) with the given environment;
/// its output lines are collected. It can be killed (SIGKILL, a crash) or stopped (SIGTERM).
/// </summary>
internal sealed class StreamProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _stdout = new();

    private StreamProcess(Process process)
    {
        _process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Enqueue(e.Data);
            }
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stdout.Enqueue(e.Data);
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public string Stderr => string.Join('\n', _stderr);

    public string Stdout => string.Join('\n', _stdout);

    public bool HasExited => _process.HasExited;

    public static StreamProcess Start(string specPath, IReadOnlyDictionary<string, string> environment, params string[] options)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(specPath)!,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "streams.dll"));
        info.ArgumentList.Add("stream");
        info.ArgumentList.Add(specPath);
        foreach (var option in options)
        {
            info.ArgumentList.Add(option);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return new StreamProcess(Process.Start(info)!);
    }

    /// <summary>Waits until a standard error line matches.</summary>
    public async Task WaitForErrorLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!_stderr.Any(match))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"streams stream exited with {_process.ExitCode}: {Stderr}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"streams stream printed no matching line within {timeout}: {Stderr}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A crash: SIGKILL, no chance to flush or leave the group.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM; returns the exit code (or throws when the process has not exited within 60 s).</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
