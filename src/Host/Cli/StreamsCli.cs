using System.CommandLine;
using System.CommandLine.Invocation;

namespace Streams.Host.Cli;

/// <summary>The <c>streams</c> command line: one root, one subcommand (or group) per area.</summary>
public static class StreamsCli
{
    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "Streams: a self-hosted AWS Glue for Kafka streams and data-lake files. " +
            "Schema registry, data catalog and crawlers, and one pipeline definition for stream and batch.");
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
