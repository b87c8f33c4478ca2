using System.CommandLine;
using Spectre.Console;
using Streams.Jobs.Model;

namespace Streams.Host.Cli;

/// <summary><c>streams triggers list|start|stop</c>: Glue triggers from the shell.</summary>
public static class TriggersCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create()
    {
        var command = new Command("triggers", "Glue triggers: list them, activate (or fire an ON_DEMAND one) and deactivate them.");
        var list = new Command("list", "List the triggers: type, state, schedule or conditions, actions.");
        list.SetAction((_, ct) => JobsCli.RunAsync(async cli =>
        {
            var table = new Table().AddColumns("Trigger", "Type", "State", "Schedule / conditions", "Actions", "Workflow");
            foreach (var t in await cli.Store.GetAllTriggersAsync(cancellationToken: ct))
            {
                var when = t.Schedule ?? string.Join($" {t.Predicate?.Logical ?? "AND"} ",
                    (t.Predicate?.Conditions ?? []).Select(c => c.JobName is not null ? $"{c.JobName} {c.State}" : $"crawler {c.CrawlerName} {c.CrawlState}"));
                table.AddRow(Markup.Escape(t.Name!), t.Type ?? "", t.State ?? "", Markup.Escape(when),
                    Markup.Escape(string.Join(", ", (t.Actions ?? []).Select(a => a.JobName ?? "crawler " + a.CrawlerName))), Markup.Escape(t.WorkflowName ?? ""));
            }

            CliConsole.Output.Write(table);
            return 0;
        }, ct));
        command.Subcommands.Add(list);
        command.Subcommands.Add(StartOrStop(start: true));
        command.Subcommands.Add(StartOrStop(start: false));
        return command;
    }

    private static Command StartOrStop(bool start)
    {
        var name = new Argument<string>("trigger") { Description = "The trigger." };
        var command = new Command(start ? "start" : "stop",
            start ? "Activate a SCHEDULED or CONDITIONAL trigger; fire an ON_DEMAND one now." : "Deactivate a trigger: it fires no more until started.") { name };
        command.SetAction((r, ct) => JobsCli.RunAsync(async cli =>
        {
            var trigger = await cli.Store.GetTriggerAsync(r.GetValue(name)!, ct);
            if (trigger.Type == TriggerTypes.OnDemand)
            {
                if (!start)
                {
                    throw new ArgumentException($"Trigger {trigger.Name} is ON_DEMAND: it is never activated, so there is nothing to stop.");
                }

                await cli.Scheduler.FireNowAsync(trigger, ct);
                Console.Out.WriteLine($"{trigger.Name}: fired");
                return 0;
            }

            await cli.Store.SetTriggerStateAsync(trigger.Name!, start ? TriggerStates.Activated : TriggerStates.Deactivated, ct);
            Console.Out.WriteLine($"{trigger.Name}: {(start ? TriggerStates.Activated : TriggerStates.Deactivated)}");
            return 0;
        }, ct));
        return command;
    }
}
