using System.Diagnostics;
using Streams.Testing;

namespace Streams.Host.Tests.Scripts;

/// <summary><c>scripts/setup</c>: two runs at once must not interleave (apt's lock, the same tools/node_modules).</summary>
public sealed class SetupScriptTests
{
    [Fact]
    public async Task A_second_setup_waits_for_the_first_and_says_so()
    {
        var lockFile = Path.Combine(Path.GetTempPath(), $"streams-setup-test-{Guid.NewGuid():N}.lock");
        using var holder = Start("bash", ["-c", $"exec 9>>'{lockFile}'; flock 9; echo held; exec sleep 60"]);
        (await holder.StandardOutput.ReadLineAsync()).Should().Be("held");
        using var setup = Start(Path.Combine(ExternalTool.RepositoryRoot, "scripts", "setup"), [], new() { ["STREAMS_SETUP_LOCK"] = lockFile });
        try
        {
            var first = await setup.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            first.Should().Be($"[setup] another scripts/setup is running (lock {lockFile}); waiting for it to finish");

            // While the lock is held, setup does nothing more: no apt check, no restore.
            var next = setup.StandardError.ReadLineAsync();
            (await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(3)))).Should().NotBe(next, "setup must wait for the lock");
            setup.HasExited.Should().BeFalse();
        }
        finally
        {
            setup.Kill(entireProcessTree: true);
            holder.Kill(entireProcessTree: true);
            await setup.WaitForExitAsync();
            await holder.WaitForExitAsync();
            File.Delete(lockFile);
        }
    }

    private static Process Start(string fileName, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ExternalTool.RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }
}
