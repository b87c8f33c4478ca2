using System.CommandLine;
using Streams.Host.Cli;
using Streams.Host.Configuration;

// Commands own Ctrl-C/SIGTERM (PosixSignalRegistration): System.CommandLine's handler would exit the
// process with 143 after a short timeout, cutting a clean shutdown (API, PostgreSQL) short.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
try
{
    return await StreamsCli.Create().Parse(args).InvokeAsync(invocation);
}
catch (StreamsConfigurationException e)
{
    await Console.Error.WriteLineAsync($"streams: {e.Message} Fix it in appsettings.json or the environment.");
    return 1;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    // A bug, not a user error: keep the whole trace for the report.
    await Console.Error.WriteLineAsync($"streams: unexpected error: {e}");
    return 1;
}
