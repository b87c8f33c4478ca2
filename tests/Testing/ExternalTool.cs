using System.Diagnostics;

namespace Streams.Testing;

/// <summary>Runs an independent implementation (python3-avro, avrocat, DuckDB, awscli...) for interop tests.</summary>
public static class ExternalTool
{
    /// <summary>The Debian Python, which has python3-avro, boto3 and confluent-kafka (the pyenv one on PATH does not).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/>, feeding <paramref name="stdin"/>, and
    /// returns its standard output; a non-zero exit fails with the command and its standard error.
    /// </summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, string? stdin = null,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var result = await RunUncheckedAsync(fileName, arguments, stdin, workingDirectory, environment, timeout);
        return result.Exit == 0
            ? result.Out
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {result.Exit}: {result.Err}");
    }

    /// <summary>
    /// Runs <paramref name="fileName"/> like <see cref="RunAsync"/> but returns its exit code and both outputs
    /// whatever the exit code, for tests that assert a failure.
    /// </summary>
    public static async Task<ToolResult> RunUncheckedAsync(string fileName, IEnumerable<string> arguments, string? stdin = null,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish in time.");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The repository root (the folder holding Streams.sln), for tools installed under it.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Streams.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Streams.sln not found above the test binaries.");
        }
    }
}

/// <summary>What an external program returned and printed.</summary>
public sealed record ToolResult(int Exit, string Out, string Err);
