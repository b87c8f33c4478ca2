using System.CommandLine;
using System.Globalization;
using Streams.Host.Configuration;
using Streams.Pipelines.Specs;
using Streams.Registry.Client;
using Streams.Serving.Query;
using Streams.Streaming.DeadLetters;

namespace Streams.Host.Cli;

/// <summary>
/// <c>streams dead-letters PIPELINE [--limit N] [--reason R] [--replay]</c>: a streaming pipeline's dead letters
/// (place, stage, reason, time), or with <c>--replay</c> sends them back through the pipeline after a fix: the ones
/// that pass now are applied and leave the table in the same transaction; the ones still dead stay with the new reason.
/// </summary>
public static class DeadLettersCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var pipeline = new Argument<string>("pipeline")
        {
            Description = "The pipeline spec (YAML or JSON), or for listing only, the pipeline name.",
        };
        var limit = new Option<int?>("--limit") { Description = "At most this many (oldest position first). Listing defaults to 50; replay to all." };
        var reason = new Option<string?>("--reason") { Description = "Only dead letters whose reason or stage contains this text (case-insensitive)." };
        var replay = new Option<bool>("--replay") { Description = "Send them back through the pipeline (needs the spec file)." };
        var format = new Option<string>("--format") { Description = "Output format of the listing: table, json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var postgres = PostgresConnection.CreateOption();
        var registry = new Option<string?>("--registry")
        {
            Description = $"The schema registry's base URL for --replay (default: {RegistryCommand.UrlKey}, else {RegistryCommand.DefaultUrl}).",
        };
        var command = new Command("dead-letters",
            "List a streaming pipeline's dead letters, or replay them through the pipeline after a fix (--replay).")
        {
            pipeline, limit, reason, replay, format, postgres, registry,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(limit) is <= 0)
            {
                r.AddError("--limit must be a positive number.");
            }
        });
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var argument = result.GetValue(pipeline)!;
            try
            {
                PipelineSpec? spec = File.Exists(argument) ? await PipelineSpecLoader.LoadFileAsync(Path.GetFullPath(argument), cancellationToken) : null;
                var name = spec?.Name ?? argument;
                await using var dataSource = PostgresConnection.Open(result, postgres);
                if (!result.GetValue(replay))
                {
                    var rows = await new KafkaDeadLetterTable(name).ListAsync(dataSource,
                        new DeadLetterQuery(result.GetValue(limit) ?? 50, result.GetValue(reason)), cancellationToken);
                    await Console.Out.WriteAsync(QueryResultFormatter.Format(Listing(rows), result.GetValue(format)!));
                    return 0;
                }

                if (spec is null)
                {
                    await Console.Error.WriteLineAsync(
                        $"streams dead-letters: --replay runs the records through the pipeline, so it needs the spec file; '{argument}' is not a file.");
                    return 2;
                }

                var options = StreamsConfiguration.LoadOptions();
                using var client = new CachedSchemaRegistryClient(result.GetValue(registry) ?? RegistryCommand.ConfiguredUrl());
                var lake = string.IsNullOrWhiteSpace(options.Lake.Root) ? null : Streams.Catalog.Storage.LakeStorage.Create(options.Lake);
                var replayed = await DeadLetterReplay.RunAsync(spec, dataSource, client,
                    new DeadLetterQuery(result.GetValue(limit), result.GetValue(reason)), lake, cancellationToken: cancellationToken);
                await Console.Out.WriteAsync(Summary(replayed));
                foreach (var dead in replayed.StillDead.Take(20))
                {
                    await Console.Error.WriteLineAsync($"still dead: {Place(dead.Record)}: {dead.Stage}: {dead.Reason}");
                }

                if (replayed.StillDead.Count > 20)
                {
                    await Console.Error.WriteLineAsync($"... and {replayed.StillDead.Count - 20} more (streams dead-letters {argument} lists them).");
                }

                return 0;
            }
            catch (Exception e) when (e is PipelineSpecException or InvalidOperationException or IOException or Npgsql.NpgsqlException
                                          or Streams.Registry.SchemaRegistryException or HttpRequestException or Streams.Serving.ServingException
                                          or Streams.Formats.Model.SchemaException or Streams.Streaming.MicroBatches.RegistryUnavailableException)
            {
                await Console.Error.WriteLineAsync($"streams dead-letters: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static QueryResult Listing(IReadOnlyList<StoredDeadLetter> rows) => new(
        [new("place", "text"), new("stage", "text"), new("reason", "text"), new("time", "timestamptz"), new("replayed_at", "timestamptz")],
        [.. rows.Select(r => new object?[] { Place(r.Record), r.Stage, r.Reason, r.DeadAt, r.ReplayedAt })],
        Truncated: false);

    private static string Summary(DeadLetterReplayResult result)
    {
        (string, int)[] rows = [("dead letters tried", result.Selected), ("replayed", result.Replayed), ("rows written", result.Rows), ("still dead", result.StillDead.Count)];
        var width = rows.Max(r => r.Item1.Length);
        return string.Concat(rows.Select(r => $"{r.Item1.PadRight(width)}  {r.Item2.ToString("N0", CultureInfo.InvariantCulture)}\n"));
    }

    private static string Place(Streams.Streaming.MicroBatches.KafkaRecord record) =>
        string.Create(CultureInfo.InvariantCulture, $"{record.Topic}[{record.Partition}]@{record.Offset}");
}
