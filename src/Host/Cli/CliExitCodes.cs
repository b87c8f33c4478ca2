namespace Streams.Host.Cli;

/// <summary>
/// The exit codes every <c>streams</c> command uses: 0 success; 1 the work failed (bad data, a file, subject or
/// table that does not exist, a refused change, an unreachable service); 2 the command line itself is wrong
/// (unknown command or option, a missing argument, a value of the wrong form).
/// </summary>
public static class CliExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>Bad data, something that does not exist, a refused change or an unreachable service.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: see <c>streams &lt;command&gt; --help</c>.</summary>
    public const int Usage = 2;

    /// <summary>The line <c>--help</c> prints under the root command.</summary>
    public const string Help = "Exit codes: 0 success; 1 bad data, not found, refused or unreachable; 2 usage error (command line).";
}
