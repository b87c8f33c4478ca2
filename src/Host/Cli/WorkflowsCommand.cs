using System.CommandLine;
using Spectre.Console;

namespace Streams.Host.Cli;

/// <summary><c>streams workflows list|start|show</c>: Glue workflows from the shell.</summary>
public static class WorkflowsCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create()
    {
        var command = new Command("workflows", "Glue workflows: list them, start a run, show the graph and the runs.");
        var list = new Command("list", "List the workflows with their last run.");
        list.SetAction((_, ct) => JobsCli.RunAsync(async cli =>
        {
            var table = new Table().AddColumns("Workflow", "Description", "Last run", "Status", "Started", "Completed");
            foreach (var name in await cli.Store.GetWorkflowNamesAsync(ct))
            {
                var workflow = await cli.Store.GetWorkflowAsync(name, ct);
                var last = (await cli.Store.GetWorkflowRunsAsync(name, 1, cancellationToken: ct)).FirstOrDefault();
                table.AddRow(Markup.Escape(name), Markup.Escape(workflow.Description ?? ""), Markup.Escape(last?.WorkflowRunId ?? ""), last?.Status ?? "",
                    JobsCommand.Time(last?.StartedOn), JobsCommand.Time(last?.CompletedOn));
            }

            CliConsole.Output.Write(table);
            return 0;
        }, ct));

        var startName = new Argument<string>("workflow") { Description = "The workflow." };
        var properties = new Option<string[]>("--property") { Description = "A run property as name=value; repeat for more." };
        var start = new Command("start", "Start a run of a workflow: its ON_DEMAND triggers fire in the new run.") { startName, properties };
        start.SetAction((r, ct) => JobsCli.RunAsync(async cli =>
        {
            Console.Out.WriteLine(await cli.Scheduler.StartWorkflowRunAsync(r.GetValue(startName)!, JobsCli.Pairs(r.GetValue(properties), ""), ct));
            return 0;
        }, ct));

        var showName = new Argument<string>("workflow") { Description = "The workflow." };
        var show = new Command("show", "Show a workflow's graph (trigger -> job/crawler edges) and its recent runs with their statistics.") { showName };
        show.SetAction((r, ct) => JobsCli.RunAsync(async cli =>
        {
            var name = r.GetValue(showName)!;
            await cli.Store.GetWorkflowAsync(name, ct);
            var graph = await cli.Graphs.BuildAsync(name, cancellationToken: ct);
            var edges = new Table().AddColumns("From", "To");
            foreach (var edge in graph.Edges)
            {
                edges.AddRow(Markup.Escape(edge.SourceId), Markup.Escape(edge.DestinationId));
            }

            CliConsole.Output.Write(edges);
            var runs = new Table().AddColumns("Run", "Status", "Started", "Completed", "Actions", "Succeeded", "Failed", "Running", "Properties");
            foreach (var run in await cli.Store.GetWorkflowRunsAsync(name, 10, cancellationToken: ct))
            {
                var stats = await cli.Graphs.StatisticsAsync(run.WorkflowRunId, ct);
                runs.AddRow(Markup.Escape(run.WorkflowRunId), run.Status, JobsCommand.Time(run.StartedOn), JobsCommand.Time(run.CompletedOn),
                    JobsCommand.Number(stats.TotalActions), JobsCommand.Number(stats.SucceededActions), JobsCommand.Number(stats.FailedActions),
                    JobsCommand.Number(stats.RunningActions), Markup.Escape(string.Join(", ", (run.WorkflowRunProperties ?? []).Select(p => $"{p.Key}={p.Value}"))));
            }

            CliConsole.Output.Write(runs);
            return 0;
        }, ct));
        command.Subcommands.Add(list);
        command.Subcommands.Add(start);
        command.Subcommands.Add(show);
        return command;
    }
}
