namespace Streams.Host.Cli;

/// <summary>A command line that asks for something impossible: the message says what, the exit code is <see cref="CliExitCodes.Usage"/>.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
