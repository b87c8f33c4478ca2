using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Streaming.Kafka;

namespace Streams.Host.Cli;

/// <summary><c>streams crawl &lt;crawler&gt;</c>: run a crawler now, with a progress bar and a summary.</summary>
public static class CrawlCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("crawler") { Description = "The crawler to run (created with the Glue API's CreateCrawler)." };
        var command = new Command("crawl", "Run a crawler: classify lake files (or read database/registry schemas) into the catalog.") { name };
        command.SetAction((r, ct) => CatalogCommand.RunAsync(async catalog =>
        {
            var crawlers = new CrawlerService(catalog.Store, new LakeStorageProvider(catalog.Options.Lake), kafkaTopics: new KafkaTopicLister());
            CrawlerRun? run = null;
            await CliConsole.Output.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"crawling {Markup.Escape(r.GetValue(name)!)}", maxValue: 1);
                    var progress = new Progress<CrawlProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.FilesTotal);
                        task.Value = p.FilesDone;
                        task.Description = Markup.Escape(Shorten(p.Current));
                    });
                    run = await crawlers.RunAsync(r.GetValue(name)!, progress, ct);
                    task.Value = task.MaxValue;
                    task.Description = $"crawled {Markup.Escape(r.GetValue(name)!)}";
                });
            Summarize(run!);
            return run!.Status == "SUCCEEDED" ? 0 : 1;
        }, ct));
        return command;
    }

    private static void Summarize(CrawlerRun run)
    {
        var duration = (run.Finished ?? DateTimeOffset.UtcNow) - run.Started;
        var table = new Table().AddColumns("Metric", "Value");
        void Row(string metric, int value) => table.AddRow(metric, value.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Status", run.Status == "SUCCEEDED" ? "[green]SUCCEEDED[/]" : $"[red]{Markup.Escape(run.Status)}[/]");
        table.AddRow("Duration", $"{duration.TotalSeconds:0.0} s");
        Row("Tables created", run.TablesCreated);
        Row("Tables updated", run.TablesUpdated);
        Row("Tables deleted", run.TablesDeleted);
        Row("Partitions added", run.PartitionsAdded);
        Row("Files read", run.FilesRead);
        Row("Files skipped", run.FilesSkipped);
        Row("Files unreadable", run.FilesUnreadable);
        Row("Files unclassified", run.FilesUnclassified);
        CliConsole.Output.Write(table);
        if (run.Error is not null)
        {
            CliConsole.Output.MarkupLine($"[red]{Markup.Escape(run.Error)}[/]");
        }

        foreach (var message in run.Messages)
        {
            CliConsole.Output.MarkupLine($"[yellow]{Markup.Escape(message)}[/]");
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : "..." + text[^57..];
}
