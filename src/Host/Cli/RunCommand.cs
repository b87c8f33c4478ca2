using System.CommandLine;
using Streams.Formats;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Pipelines.Expressions;
using Streams.Pipelines.Files;
using Streams.Pipelines.Specs;
using Streams.Pipelines.Transforms;

namespace Streams.Host.Cli;

/// <summary><c>streams run pipeline.yaml --input FILE --output FILE</c>: a pipeline over a file, no Kafka (the batch layer's code path).</summary>
public static class RunCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var spec = new Argument<FileInfo>("pipeline") { Description = "The pipeline spec (YAML or JSON)." };
        var input = new Option<FileInfo>("--input") { Description = "The input file (.avro, .jsonl...).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "The output file; its extension picks the format.", Required = true };
        var schema = new Option<FileInfo?>("--schema") { Description = "Avro schema (.avsc) of an input that carries none (JSON lines); default: the spec's source.schema." };
        var postgres = PostgresConnection.CreateOption();
        var command = new Command("run", "Run a pipeline over a file without Kafka: the batch layer's code path. Child outputs and dead letters go beside the output.")
        {
            spec, input, output, schema, postgres,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            try
            {
                var pipeline = await PipelineSpecLoader.LoadFileAsync(result.GetValue(spec)!.FullName, cancellationToken);
                var schemaPath = result.GetValue(schema)?.FullName ?? pipeline.Source.SchemaFile;
                Schema? inputSchema = schemaPath is null ? null : AvroSchemaParser.Parse(await File.ReadAllTextAsync(schemaPath, cancellationToken));
                await using var dataSource = pipeline.Transforms.Any(t => t.Needs.HasFlag(TransformNeeds.Postgres)) ? PostgresConnection.Open(result, postgres) : null;
                var runner = new PipelineRunner(pipeline, PipelineMode.Batch, new PipelineEnvironment(dataSource));
                if (inputSchema is RecordSchema records && !pipeline.Transforms.Any(t => t.Needs.HasFlag(TransformNeeds.Postgres)))
                {
                    // The spec against the input's schema before a record is read: unknown fields, sink columns.
                    runner.Validate(records);
                }

                var summary = await PipelineFileRunner.RunAsync(runner, result.GetValue(input)!.FullName, result.GetValue(output)!.FullName, inputSchema, cancellationToken);
                await Console.Out.WriteLineAsync($"{summary.RecordsRead} records read, {summary.RecordsWritten} rows written to {result.GetValue(output)!.FullName}");
                foreach (var (name, (path, rows)) in summary.Children)
                {
                    await Console.Out.WriteLineAsync($"{rows} rows written to child output {name}: {path}");
                }

                if (summary.DeadLetterPath is not null)
                {
                    await Console.Out.WriteLineAsync($"{summary.DeadLetters} dead letters written to {summary.DeadLetterPath}");
                }

                return 0;
            }
            catch (Exception e) when (e is PipelineSpecException or ExpressionException or TransformException or RecordFileException or IOException
                                          or SchemaException or InvalidOperationException or NotSupportedException or ArgumentException or Npgsql.NpgsqlException)
            {
                await Console.Error.WriteLineAsync($"streams run: {CliMessages.Of(e)}");
                return 1;
            }
        });
        return command;
    }
}
