using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Streams.Formats.Json;
using Streams.Host.Configuration;
using Streams.Streaming.Consume;
using Streams.Streaming.Kafka;

namespace Streams.Host.Cli;

/// <summary>
/// <c>streams consume TOPIC</c>: prints a topic's values decoded through the registry, as JSON lines (the values
/// only, so that <c>streams produce</c> can send them again) or as a table. A value that does not decode is an
/// error line on stderr naming partition, offset and reason, and consumption goes on.
/// </summary>
public static class ConsumeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic." };
        var group = new Option<string?>("--group") { Description = "Resume from this consumer group's committed offsets and commit what was printed." };
        var fromBeginning = new Option<bool>("--from-beginning") { Description = "Start at the oldest record (where the group has no offset); default: only new records." };
        var limit = new Option<long?>("--limit") { Description = "Stop after N messages." };
        var format = new Option<string>("--format") { Description = "jsonl (values, one per line) or table (with partition, offset, key).", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "table");
        var timeout = new Option<double?>("--timeout") { Description = "Stop when nothing arrives for this many seconds (default: wait until Ctrl-C)." };
        var registry = KafkaCli.RegistryOption();
        var command = new Command("consume", "Print a topic's records, decoded through the schema registry.")
        {
            topic, group, fromBeginning, limit, format, timeout, registry,
        };
        command.SetAction(async (r, ct) =>
        {
            var options = new TopicReadOptions
            {
                Topic = r.GetValue(topic)!,
                Group = r.GetValue(group),
                FromBeginning = r.GetValue(fromBeginning),
                Limit = r.GetValue(limit),
                IdleTimeout = r.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            };
            using var stop = KafkaCli.StopOnSignal(ct, out var signals);
            using (signals)
            {
                return await RunAsync(options, r.GetValue(format)!, r.GetValue(registry)!, stop.Token);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(TopicReadOptions options, string format, string registryUrl, CancellationToken cancellationToken)
    {
        var table = format == "table" ? new Table().AddColumns("Partition", "Offset", "Timestamp", "Key", "Schema id", "Value") : null;
        long errors = 0;
        // JSON lines go out through one buffered writer per schema, flushed after every batch the reader hands over (and
        // before another schema's writer takes over): one write per batch rather than one per record, and still prompt.
        await using var stdout = Console.OpenStandardOutput();
        var writers = new Dictionary<Formats.Model.Schema, JsonLinesWriter>(ReferenceEqualityComparer.Instance);
        JsonLinesWriter? current = null;
        try
        {
            var reader = new TopicReader(KafkaCli.Clients(), KafkaCli.Registry(registryUrl));
            await foreach (var batch in reader.ReadBatchesAsync(options, cancellationToken))
            {
                foreach (var message in batch)
                {
                    if (message.Error is { } error)
                    {
                        errors++;
                        await Console.Error.WriteLineAsync($"error: partition {message.Partition} offset {message.Offset}: {error}");
                        continue;
                    }

                    if (table is not null)
                    {
                        var json = message.Value is null ? "null" : JsonLinesWriter.ToJson(message.Value.Schema, message.Value);
                        table.AddRow(Text(message.Partition), Text(message.Offset), message.Timestamp.ToString("O", CultureInfo.InvariantCulture),
                            Markup.Escape(message.Key ?? ""), message.SchemaId is { } id ? Text(id) : "", Markup.Escape(json));
                        continue;
                    }

                    if (message.Value is null)
                    {
                        await FlushAsync(current);
                        await stdout.WriteAsync("null\n"u8.ToArray(), CancellationToken.None);
                        continue;
                    }

                    if (!writers.TryGetValue(message.Value.Schema, out var writer))
                    {
                        writers.Add(message.Value.Schema, writer = new JsonLinesWriter(stdout, message.Value.Schema, leaveOpen: true));
                    }

                    if (!ReferenceEquals(writer, current))
                    {
                        await FlushAsync(current);
                        current = writer;
                    }

                    await writer.WriteAsync(message.Value, CancellationToken.None);
                }

                await FlushAsync(current);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: what was read is printed below.
        }
        catch (Exception e) when (e is TopicException or ArgumentException or StreamsConfigurationException)
        {
            await Console.Error.WriteLineAsync("streams consume: " + CliMessages.Of(e));
            return 1;
        }
        finally
        {
            await FlushAsync(current);
            foreach (var writer in writers.Values)
            {
                await writer.DisposeAsync();
            }
        }

        if (table is not null)
        {
            CliConsole.Output.Write(table);
        }

        await Console.Out.FlushAsync(CancellationToken.None);
        if (errors > 0)
        {
            await Console.Error.WriteLineAsync($"streams consume: {errors} message(s) did not decode.");
        }

        return 0;
    }

    private static ValueTask FlushAsync(JsonLinesWriter? writer) => writer?.FlushAsync(CancellationToken.None) ?? ValueTask.CompletedTask;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
