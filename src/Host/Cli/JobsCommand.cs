using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Streams.Catalog.Store;
using Streams.Jobs.Model;

namespace Streams.Host.Cli;

/// <summary><c>streams jobs list|show|start|stop|runs|logs</c>: Glue jobs and their runs from the shell.</summary>
public static class JobsCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create()
    {
        var command = new Command("jobs", "Glue jobs: list and show them, start and stop runs, list runs and read their logs.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Start());
        command.Subcommands.Add(Stop());
        command.Subcommands.Add(Runs());
        command.Subcommands.Add(Logs());
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the jobs with their last run.");
        command.SetAction((_, ct) => JobsCli.RunAsync(async cli =>
        {
            var table = new Table().AddColumns(new TableColumn("Job"), new TableColumn("Command").NoWrap(), new TableColumn("Last state").NoWrap(),
                new TableColumn("Last run (UTC)").NoWrap(), new TableColumn("Retries"), new TableColumn("Script"));
            await foreach (var job in Pages.ReadAllAsync((offset, c) => cli.Store.GetJobsAsync(offset, 100, c), ct))
            {
                var last = (await cli.Store.GetRunsAsync(job.Name!, 0, 1, ct)).Items.FirstOrDefault();
                table.AddRow(Markup.Escape(job.Name!), Markup.Escape(job.Command?.Name ?? ""), last?.JobRunState ?? "",
                    last?.StartedOn?.UtcDateTime.ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "", Number(job.MaxRetries ?? 0),
                    Markup.Escape(job.Command?.ScriptLocation ?? ""));
            }

            CliConsole.Output.Write(table);
            return 0;
        }, ct));
        return command;
    }

    private static Command Show()
    {
        var name = new Argument<string>("job") { Description = "The job." };
        var command = new Command("show", "Show a job's definition and arguments.") { name };
        command.SetAction((r, ct) => JobsCli.RunAsync(async cli =>
        {
            var job = await cli.Store.GetJobAsync(r.GetValue(name)!, ct);
            var table = new Table().AddColumns("Property", "Value");
            table.AddRow("Name", Markup.Escape(job.Name!));
            table.AddRow("Command", Markup.Escape(job.Command?.Name ?? ""));
            table.AddRow("Script", Markup.Escape(job.Command?.ScriptLocation ?? ""));
            table.AddRow("Role", Markup.Escape(job.Role ?? ""));
            table.AddRow("Max retries", Number(job.MaxRetries ?? 0));
            table.AddRow("Timeout (min)", Number(job.Timeout ?? Streams.Jobs.Store.JobStore.DefaultTimeoutMinutes));
            table.AddRow("Max concurrent runs", Number(job.ExecutionProperty?.MaxConcurrentRuns ?? 1));
            table.AddRow("Created", Time(job.CreatedOn));
            table.AddRow("Modified", Time(job.LastModifiedOn));
            foreach (var (key, value) in job.DefaultArguments ?? [])
            {
                table.AddRow(Markup.Escape("argument " + key), Markup.Escape(value));
            }

            CliConsole.Output.Write(table);
            return 0;
        }, ct));
        return command;
    }

    private static Command Start()
    {
        var name = new Argument<string>("job") { Description = "The job." };
        var arguments = new Option<string[]>("--arg") { Description = "A run argument as name=value (--name in Glue), e.g. --arg min_qty=2; repeat for more.", AllowMultipleArgumentsPerToken = false };
        var wait = new Option<bool>("--wait") { Description = "Follow the run (state, records, log) until it ends; exit 1 unless it SUCCEEDED (or, for a streaming job, STOPPED)." };
        var command = new Command("start", "Start a run of a job; a running host (streams dev or serve) executes it.") { name, arguments, wait };
        command.SetAction((r, ct) => JobsCli.RunAsync(async cli =>
        {
            var job = r.GetValue(name)!;
            var id = await cli.Store.StartRunAsync(job, JobsCli.Pairs(r.GetValue(arguments), "--"), cancellationToken: ct);
            Console.Out.WriteLine(id);
            return r.GetValue(wait) ? await FollowAsync(cli, job, id, ct) : 0;
        }, ct));
        return command;
    }

    /// <summary>Prints state changes, progress and log lines of a run until it ends.</summary>
    private static async Task<int> FollowAsync(JobsCli cli, string job, string id, CancellationToken cancellationToken)
    {
        var interactive = !Console.IsErrorRedirected;
        long logged = 0;
        string? lastLine = null;
        while (true)
        {
            var run = await cli.Store.GetRunAsync(job, id, cancellationToken);
            foreach (var line in await cli.Store.GetLogAsync(id, logged, cancellationToken))
            {
                logged = line.Sequence;
                await Console.Error.WriteLineAsync((interactive ? "\r" : "") + $"{line.At:HH:mm:ss} {line.Message}");
            }

            var progress = $"{run.JobRunState}: {run.Metrics?.RecordsIn:N0} records in, {run.Metrics?.RecordsOut:N0} out, {run.Metrics?.DeadLetters:N0} dead letters, {run.ExecutionTime} s";
            if (interactive)
            {
                await Console.Error.WriteAsync("\r" + progress.PadRight(100));
            }
            else if (progress != lastLine)
            {
                await Console.Error.WriteLineAsync(progress);
            }

            lastLine = progress;
            if (JobRunStates.IsFinal(run.JobRunState))
            {
                if (interactive)
                {
                    await Console.Error.WriteLineAsync();
                }

                RunTable(run);
                return run.JobRunState is JobRunStates.Succeeded or JobRunStates.Stopped ? 0 : 1;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private static Command Stop()
    {
        var name = new Argument<string>("job") { Description = "The job." };
        var runs = new Argument<string[]>("runs") { Description = "Run ids, or unique prefixes of them (default: every run in progress).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("stop", "Stop runs of a job (a streaming job writes its pending micro-batches first).") { name, runs };
        command.SetAction((r, ct) => JobsCli.RunAsync(async cli =>
        {
            var job = r.GetValue(name)!;
            string[] ids = r.GetValue(runs) is { Length: > 0 } given
                ? await Task.WhenAll(given.Select(g => ResolveAsync(cli, job, g, ct)))
                : [.. (await cli.Store.GetRunsAsync(job, 0, 1000, ct)).Items.Where(x => !JobRunStates.IsFinal(x.JobRunState)).Select(x => x.Id)];
            var failed = 0;
            foreach (var id in ids)
            {
                if (await cli.Store.StopRunAsync(job, id, ct) is { } error)
                {
                    failed++;
                    await Console.Error.WriteLineAsync(error.Message);
                }
                else
                {
                    Console.Out.WriteLine($"{id}: stop requested");
                }
            }

            if (ids.Length == 0)
            {
                await Console.Error.WriteLineAsync($"Job {job} has no run in progress.");
            }

            return failed == 0 ? 0 : 1;
        }, ct));
        return command;
    }

    private static Command Runs()
    {
        var name = new Argument<string>("job") { Description = "The job." };
        var limit = new Option<int>("--limit") { Description = "Runs to list, newest first.", DefaultValueFactory = _ => 20 };
        var command = new Command("runs", "List a job's runs, newest first: state, attempt, trigger, duration, records, error.") { name, limit };
        command.SetAction((r, ct) => JobsCli.RunAsync(async cli =>
        {
            var job = r.GetValue(name)!;
            await cli.Store.GetJobAsync(job, ct);
            RunsTable((await cli.Store.GetRunsAsync(job, 0, Math.Max(1, r.GetValue(limit)), ct)).Items);
            return 0;
        }, ct));
        return command;
    }

    private static Command Logs()
    {
        var name = new Argument<string>("job") { Description = "The job." };
        var run = new Argument<string?>("run") { Description = "The run id, or a unique prefix of it (default: the latest run).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("logs", "Print a run's log (kept in PostgreSQL, so it outlives the host that ran it).") { name, run };
        command.SetAction((r, ct) => JobsCli.RunAsync(async cli =>
        {
            var job = r.GetValue(name)!;
            var id = r.GetValue(run) is { } prefix
                ? await ResolveAsync(cli, job, prefix, ct)
                : (await cli.Store.GetRunsAsync(job, 0, 1, ct)).Items.FirstOrDefault()?.Id;
            if (id is null)
            {
                await Console.Error.WriteLineAsync($"Job {job} has no runs yet: start one with streams jobs start {job}.");
                return 1;
            }

            await cli.Store.GetRunAsync(job, id, ct);
            foreach (var line in await cli.Store.GetLogAsync(id, 0, ct))
            {
                Console.Out.WriteLine($"{line.At.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {line.Message}");
            }

            return 0;
        }, ct));
        return command;
    }

    /// <summary>Runs, one row each; run ids are shown by a prefix (that <c>logs</c> and <c>stop</c> accept), so the table fits 80 columns.</summary>
    private static void RunsTable(IEnumerable<JobRun> runs)
    {
        var table = new Table().AddColumns(new TableColumn("Run").NoWrap(), new TableColumn("State").NoWrap(), new TableColumn("Try"),
            new TableColumn("Started (UTC)").NoWrap(), new TableColumn("Secs"), new TableColumn("In/out/dead").NoWrap(), new TableColumn("Trigger"),
            new TableColumn("Error"));
        foreach (var run in runs)
        {
            table.AddRow(Markup.Escape(ShortId(run.Id)), run.JobRunState, Number(run.Attempt),
                run.StartedOn?.UtcDateTime.ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "", Number(run.ExecutionTime),
                $"{Number(run.Metrics?.RecordsIn ?? 0)}/{Number(run.Metrics?.RecordsOut ?? 0)}/{Number(run.Metrics?.DeadLetters ?? 0)}",
                Markup.Escape(run.TriggerName ?? ""), Markup.Escape(run.ErrorMessage ?? ""));
        }

        CliConsole.Output.Write(table);
    }

    /// <summary>One run, a row per property.</summary>
    private static void RunTable(JobRun run)
    {
        var table = new Table().AddColumns("Run", Markup.Escape(run.Id));
        table.AddRow("State", run.JobRunState);
        table.AddRow("Attempt", Number(run.Attempt));
        table.AddRow("Started", Time(run.StartedOn));
        table.AddRow("Completed", Time(run.CompletedOn));
        table.AddRow("Seconds", Number(run.ExecutionTime));
        table.AddRow("Records in", Number(run.Metrics?.RecordsIn ?? 0));
        table.AddRow("Records out", Number(run.Metrics?.RecordsOut ?? 0));
        table.AddRow("Dead letters", Number(run.Metrics?.DeadLetters ?? 0));
        if (run.ErrorMessage is { } error)
        {
            table.AddRow("Error", Markup.Escape(error));
        }

        CliConsole.Output.Write(table);
    }

    private static string ShortId(string id) => id.Length > 12 ? id[..12] + "…" : id;

    /// <summary>The run of <paramref name="job"/> whose id is or starts with <paramref name="prefix"/>.</summary>
    /// <exception cref="ArgumentException">No run, or several, match.</exception>
    private static async Task<string> ResolveAsync(JobsCli cli, string job, string prefix, CancellationToken cancellationToken)
    {
        var matches = (await cli.Store.GetRunsAsync(job, 0, 10_000, cancellationToken)).Items
            .Where(r => r.Id.StartsWith(prefix.TrimEnd('…'), StringComparison.Ordinal)).Select(r => r.Id).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ArgumentException($"Job {job} has no run {prefix}: see streams jobs runs {job}."),
            _ => throw new ArgumentException($"Run id {prefix} matches {matches.Count} runs of job {job}: give more of it."),
        };
    }

    internal static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";
}
