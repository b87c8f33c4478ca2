using System.CommandLine;
using Streams.Host.Cli;

// Commands own Ctrl-C/SIGTERM (PosixSignalRegistration): System.CommandLine's handler would exit the
// process with 143 after a short timeout, cutting a clean shutdown (API, PostgreSQL) short.
return await StreamsCli.InvokeAsync(args, new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
