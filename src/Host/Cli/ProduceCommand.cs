using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Streams.Host.Configuration;
using Streams.Registry.Serdes;
using Streams.Streaming.Produce;

namespace Streams.Host.Cli;

/// <summary>
/// <c>streams produce TOPIC --file F</c>: sends a JSON lines, CSV, Avro or Parquet file to a topic, each value Avro in
/// Confluent's wire format (or Glue's with <c>--wire glue</c>) through the registry. Records that do not fit the schema are named (file and line or
/// row) on stderr and not sent; a summary table ends the run. Exit 1 only when nothing could be sent.
/// </summary>
public static class ProduceCommand
{
    private const int UndeliveredShown = 20;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic." };
        var file = new Option<string>("--file") { Description = "The records: a .jsonl, .csv, .avro or .parquet file.", Required = true };
        var schema = new Option<string?>("--schema") { Description = "An Avro schema (.avsc) to write with; registered under the subject unless --no-register." };
        var subject = new Option<string?>("--subject") { Description = "The registry subject (default <topic>-value); without --schema its latest schema is used." };
        var noRegister = new Option<bool>("--no-register") { Description = "Do not register the schema: it must be under the subject already." };
        var key = new Option<string?>("--key") { Description = "A field whose value becomes each message's key." };
        var rate = new Option<double?>("--rate") { Description = "At most N records per second." };
        var repeat = new Option<bool>("--repeat") { Description = "Send the file again and again until Ctrl-C." };
        var wire = new Option<string>("--wire")
        {
            Description = "The header before each Avro value: confluent (magic byte 0, schema id) or glue (header version 3, schema version UUID).",
            DefaultValueFactory = _ => "confluent",
        }.AcceptOnlyFromAmong("confluent", "glue");
        var compression = new Option<string>("--compression")
        {
            Description = "With --wire glue: none, or zlib to compress each value's body (Glue's compression byte 5).",
            DefaultValueFactory = _ => "none",
        }.AcceptOnlyFromAmong("none", "zlib");
        var registry = KafkaCli.RegistryOption();
        var command = new Command("produce",
            "Send a file's records to a topic in Confluent's wire format (Avro, schema id from the registry), or Glue's with --wire glue.")
        {
            topic, file, schema, subject, noRegister, key, rate, repeat, wire, compression, registry,
        };
        command.SetAction(async (r, ct) =>
        {
            if (r.GetValue(compression) == "zlib" && r.GetValue(wire) != "glue")
            {
                await Console.Error.WriteLineAsync("streams produce: --compression zlib needs --wire glue: Confluent's wire format has no compression byte.");
                return 2;
            }

            var options = new FileProduceOptions
            {
                Topic = r.GetValue(topic)!,
                FilePath = r.GetValue(file)!,
                SchemaFile = r.GetValue(schema),
                Subject = r.GetValue(subject),
                AutoRegister = !r.GetValue(noRegister),
                KeyField = r.GetValue(key),
                Rate = r.GetValue(rate),
                Repeat = r.GetValue(repeat),
                WireFormat = r.GetValue(wire) == "glue" ? MessageWireFormat.Glue : MessageWireFormat.Confluent,
                GlueZlib = r.GetValue(compression) == "zlib",
            };
            using var stop = KafkaCli.StopOnSignal(ct, out var signals);
            using (signals)
            {
                return await RunAsync(options, r.GetValue(registry)!, stop.Token);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(FileProduceOptions options, string registryUrl, CancellationToken cancellationToken)
    {
        var err = CliConsole.Error;
        var interactive = !Console.IsErrorRedirected;
        ProducedFile result;
        try
        {
            var producer = new FileProducer(KafkaCli.Clients(), KafkaCli.Registry(registryUrl));
            var undelivered = 0;
            void Rejected(RejectedRecord record)
            {
                // A broker that stops taking messages fails every one in flight: name the first ones, count the rest in the summary.
                if (record.Undelivered && ++undelivered > UndeliveredShown)
                {
                    return;
                }

                var line = (record.Undelivered ? "undelivered: " : "rejected: ") + record;
                if (interactive)
                {
                    err.WriteLine(line);
                }
                else
                {
                    Console.Error.WriteLine(line);
                }
            }

            if (interactive)
            {
                result = await err.Progress().AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask(Path.GetFileName(options.FilePath), maxValue: 1);
                        return await producer.ProduceAsync(options, Rejected, p =>
                        {
                            task.Description = $"{Markup.Escape(Path.GetFileName(options.FilePath))} pass {p.Pass}: {p.Records:N0} sent, {p.Rejected:N0} rejected";
                            task.Value = p.Fraction;
                        }, cancellationToken);
                    });
            }
            else
            {
                var last = DateTime.UtcNow;
                result = await producer.ProduceAsync(options, Rejected, p =>
                {
                    if (DateTime.UtcNow - last >= TimeSpan.FromSeconds(5))
                    {
                        last = DateTime.UtcNow;
                        Console.Error.WriteLine($"[produce] pass {p.Pass} {p.Fraction:P0}: {p.Records} sent, {p.Rejected} rejected, {p.Bytes} bytes");
                    }
                }, cancellationToken);
            }
        }
        catch (Exception e) when (e is FileProduceException or ArgumentException or StreamsConfigurationException)
        {
            await Console.Error.WriteLineAsync("streams produce: " + CliMessages.Of(e));
            return 1;
        }

        var table = new Table().AddColumns("Topic", "Subject", "Schema id", "Records", "Rejected", "Failed", "Bytes", "Seconds", "Records/s");
        table.AddRow(Markup.Escape(result.Topic), Markup.Escape(result.Subject), Text(result.SchemaId), Text(result.Records), Text(result.Rejected),
            Text(result.Failed), Text(result.Bytes), result.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture),
            result.RecordsPerSecond.ToString("0", CultureInfo.InvariantCulture));
        CliConsole.Output.Write(table);
        if (result.FirstFailure is { } failure)
        {
            await Console.Error.WriteLineAsync($"streams produce: {result.Failed} record(s) were not delivered: {failure}");
        }

        return result.Records > 0 || (result.Rejected == 0 && result.Failed == 0) ? 0 : 1;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
