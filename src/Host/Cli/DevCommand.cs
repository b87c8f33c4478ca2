using System.CommandLine;

namespace Streams.Host.Cli;

/// <summary><c>streams dev</c>: the embedded stack on one machine.</summary>
public static class DevCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("dev", "Run the embedded stack: Kafka-protocol broker, PostgreSQL, lake directory and API.");
        command.SetAction((_, _) => Task.FromResult(1));
        return command;
    }
}
