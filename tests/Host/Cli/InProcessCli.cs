using System.CommandLine;
using Streams.Host.Cli;

namespace Streams.Host.Tests.Cli;

/// <summary>What a <c>streams</c> command line printed and returned.</summary>
public sealed record CliResult(int Exit, string Out, string Err);

/// <summary>Runs <c>streams</c> command lines in this process, capturing what they print.</summary>
public static class InProcessCli
{
    /// <summary>Parses and invokes <paramref name="args"/> as the executable would.</summary>
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await StreamsCli.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}
