using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Streams.Host.Configuration;

namespace Streams.Host.Cli;

/// <summary>The <c>streams</c> command line: one root, one subcommand (or group) per area.</summary>
public static class StreamsCli
{
    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "Streams: a self-hosted AWS Glue for Kafka streams and data-lake files. " +
            "Schema registry, data catalog and crawlers, and one pipeline definition for stream and batch. " + CliExitCodes.Help);
        root.Subcommands.Add(DevCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(FormatCommand.Create());
        root.Subcommands.Add(RegistryCommand.Create());
        root.Subcommands.Add(CatalogCommand.Create());
        root.Subcommands.Add(CrawlCommand.Create());
        root.Subcommands.Add(QueryCommand.Create());
        root.Subcommands.Add(ViewsCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(StreamCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(DeadLettersCommand.Create());
        root.Subcommands.Add(BackfillCommand.Create());
        root.Subcommands.Add(TopicsCommand.Create());
        root.Subcommands.Add(ProduceCommand.Create());
        root.Subcommands.Add(ConsumeCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(TriggersCommand.Create());
        root.Subcommands.Add(WorkflowsCommand.Create());
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new VersionAction();
        }

        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/> as the executable does: a command line that does not parse exits with
    /// <see cref="CliExitCodes.Usage"/>; an error no command expected prints one line, never a stack trace
    /// (<c>STREAMS_DEBUG=1</c> adds it, for a bug report).
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration configuration)
    {
        var parsed = Create().Parse(args);
        var error = configuration.Error;
        try
        {
            var exit = await parsed.InvokeAsync(configuration);
            return parsed.Errors.Count > 0 ? CliExitCodes.Usage : exit;
        }
        catch (StreamsConfigurationException e)
        {
            await error.WriteLineAsync($"streams: {CliMessages.Of(e)} Fix it in appsettings.json or the environment.");
            return CliExitCodes.Failure;
        }
        catch (CliUsageException e)
        {
            await error.WriteLineAsync($"{CommandPath(parsed)}: {CliMessages.Of(e)}");
            return CliExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("streams: cancelled.");
            return 130;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not a user error: one readable line; the trace only when asked for, for the report.
            await error.WriteLineAsync($"{CommandPath(parsed)}: internal error: {CliMessages.Of(e).TrimEnd('.')}. This is a bug in Streams; "
                + "run it again with STREAMS_DEBUG=1 for the details to report.");
            if (Environment.GetEnvironmentVariable("STREAMS_DEBUG") is "1" or "true")
            {
                await error.WriteLineAsync(e.ToString());
            }

            return CliExitCodes.Failure;
        }
    }

    /// <summary>The words of the command that ran, <c>streams format convert</c>, for messages.</summary>
    private static string CommandPath(ParseResult parsed)
    {
        var words = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            words.Insert(0, result.Command is RootCommand ? "streams" : result.Command.Name);
        }

        return string.Join(' ', words);
    }

    /// <summary><c>--version</c>: the host's version and the Kafka client's, native library included.</summary>
    private sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(StreamsVersion.Line());
            return 0;
        }
    }
}
