using System.CommandLine;
using Streams.Host.Configuration;
using Streams.Serving.Query;
using Streams.Streaming.Kafka;
using Streams.Streaming.Monitoring;

namespace Streams.Host.Cli;

/// <summary>
/// <c>streams status [PIPELINE]</c>: the speed-layer pipelines as PostgreSQL and the broker show them, whichever
/// process runs them: stored positions against the topics' high watermarks (lag), dead letters, last commit.
/// With a pipeline, one row per partition.
/// </summary>
public static class StatusCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var pipeline = new Argument<string?>("pipeline") { Description = "Show this pipeline's partitions.", Arity = ArgumentArity.ZeroOrOne };
        var format = new Option<string>("--format") { Description = "Output format: table, json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var postgres = PostgresConnection.CreateOption();
        var command = new Command("status",
            "Show the streaming pipelines from PostgreSQL and Kafka: lag (stored positions against the topic's high offsets), dead letters, last commit. " +
            "Works whichever process runs them.")
        {
            pipeline, format, postgres,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var name = result.GetValue(pipeline);
            try
            {
                var options = StreamsConfiguration.LoadOptions();
                await using var dataSource = PostgresConnection.Open(result, postgres);
                TopicManager? topics = null;
                TopicWatermarks? watermarks = null;
                if (string.IsNullOrWhiteSpace(options.Kafka.BootstrapServers))
                {
                    await Console.Error.WriteLineAsync(
                        "streams status: no Kafka (Streams:Kafka:BootstrapServers / STREAMS__KAFKA__BOOTSTRAPSERVERS), so lag is unknown.");
                }
                else
                {
                    var clients = new KafkaClientFactory(options.Kafka);
                    topics = new TopicManager(clients);
                    watermarks = new TopicWatermarks(clients);
                }

                IReadOnlyList<StoredPipelineStatus> statuses;
                using (watermarks)
                {
                    statuses = await SpeedStatusStore.ReadAsync(dataSource, name, topics, watermarks, cancellationToken);
                }

                if (name is not null && statuses.Count == 0)
                {
                    var known = await SpeedStatusStore.ReadAsync(dataSource, null, null, null, cancellationToken);
                    await Console.Error.WriteLineAsync($"streams status: no streaming pipeline '{name}' has run against this database" +
                        (known.Count == 0 ? " (none has; start one with streams stream PIPELINE.yaml)." : $"; known: {string.Join(", ", known.Select(k => k.Pipeline))}."));
                    return 1;
                }

                foreach (var error in statuses.Select(s => s.BrokerError).OfType<string>().Distinct())
                {
                    await Console.Error.WriteLineAsync($"streams status: lag unknown: {error}");
                }

                await Console.Out.WriteAsync(QueryResultFormatter.Format(name is null ? Pipelines(statuses) : Partitions(statuses[0]), result.GetValue(format)!));
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException)
            {
                await Console.Error.WriteLineAsync($"streams status: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static QueryResult Pipelines(IReadOnlyList<StoredPipelineStatus> statuses) => new(
        [new("pipeline", "text"), new("topic", "text"), new("output", "text"), new("partitions", "integer"), new("lag", "bigint"),
         new("dead_letters", "bigint"), new("last_commit", "timestamptz"), new("processes", "integer"), new("records_per_s", "double precision"),
         new("freshness_p50_ms", "bigint"), new("freshness_p99_ms", "bigint")],
        [.. statuses.Select(s => new object?[]
        {
            s.Pipeline, s.Topic, s.Output, s.Partitions.Count, s.Lag, s.DeadLetters, s.LastCommitAt, s.Reported?.Processes ?? 0,
            s.Reported is { } r ? Math.Round(r.RecordsPerSecond, 1) : null, Milliseconds(s.Reported?.FreshnessP50), Milliseconds(s.Reported?.FreshnessP99),
        })],
        Truncated: false);

    private static long? Milliseconds(double? seconds) => seconds is { } s ? (long)Math.Round(s * 1000) : null;

    private static QueryResult Partitions(StoredPipelineStatus status) => new(
        [new("pipeline", "text"), new("topic", "text"), new("partition", "integer"), new("position", "bigint"), new("high", "bigint"),
         new("lag", "bigint"), new("dead_letters", "bigint"), new("last_commit", "timestamptz")],
        [.. status.Partitions.Select(p => new object?[] { status.Pipeline, status.Topic, p.Partition, p.NextOffset, p.HighOffset, p.Lag, status.DeadLetters, p.LastCommitAt })],
        Truncated: false);
}
