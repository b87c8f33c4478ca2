using System.CommandLine;
using System.Globalization;
using Npgsql;
using Spectre.Console;
using Streams.Batch.Backfills;
using Streams.Batch.Sources;
using Streams.Catalog;
using Streams.Catalog.Storage;
using Streams.Formats;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Pipelines.Execution;
using Streams.Pipelines.Expressions;
using Streams.Pipelines.Specs;
using Streams.Pipelines.Transforms;
using Streams.Serving;

namespace Streams.Host.Cli;

/// <summary>
/// <c>streams backfill PIPELINE.yaml</c>: runs the pipeline over its batch source (a catalog table or a lake path) and
/// swaps the result into the serving layer, with a progress bar and a summary table.
/// </summary>
public static class BackfillCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var spec = new Argument<FileInfo>("pipeline") { Description = "The pipeline spec (YAML or JSON) with a source.batch and a serving sink." };
        var where = new Option<string?>("--where") { Description = "Partition predicate (Glue push_down_predicate), e.g. \"dt >= '2026-11-01'\"; replaces source.batch.where." };
        var full = new Option<bool>("--full") { Description = "Read every file of the kept partitions and replace the batch generation." };
        var incremental = new Option<bool>("--incremental") { Description = "Read only files added or changed since the job bookmark (needs source.batch.bookmarks: enable or pause)." };
        var parallel = new Option<int?>("--parallel") { Description = "Splits read at once (default: the number of cores)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the partitions and files that would be read; change nothing." };
        var reset = new Option<bool>("--reset-bookmark") { Description = "Forget the job bookmark first: every file is read again." };
        var maxErrors = new Option<long?>("--max-errors") { Description = "Fail (changing nothing) when more records than this go to the dead letters." };
        var watermark = new Option<DateTimeOffset?>("--watermark") { Description = "The batch watermark to swap in (ISO 8601); default: the window's watermark after the last record." };
        var shared = new Option<bool>("--shared") { Description = "Share the (full) backfill with other hosts: prints the run id for --join; splits are claimed through PostgreSQL." };
        var join = new Option<Guid?>("--join") { Description = "Add this host as a worker to the shared backfill RUN_ID (same pipeline spec)." };
        var schema = new Option<FileInfo?>("--schema") { Description = "Avro schema (.avsc) of sources that carry none (JSON lines, CSV); default: the spec's source.schema." };
        var postgres = PostgresConnection.CreateOption();
        var command = new Command("backfill",
            "Run a pipeline over historical lake files (catalog table or lake path) and swap the result into the serving layer: " +
            "partitions pruned, files read in parallel, bad data to the dead letters, job bookmarks for incremental runs.")
        {
            spec, where, full, incremental, parallel, dryRun, reset, maxErrors, watermark, shared, join, schema, postgres,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            try
            {
                if (result.GetValue(full) && result.GetValue(incremental))
                {
                    throw new CliUsageException("--full and --incremental exclude each other.");
                }

                if (result.GetValue(parallel) is < 1)
                {
                    throw new CliUsageException("--parallel must be at least 1.");
                }

                var pipeline = await PipelineSpecLoader.LoadFileAsync(result.GetValue(spec)!.FullName, cancellationToken);
                var schemaPath = result.GetValue(schema)?.FullName ?? pipeline.Source.SchemaFile;
                var inputSchema = schemaPath is null ? null : AvroSchemaParser.Parse(await File.ReadAllTextAsync(schemaPath, cancellationToken)) as RecordSchema
                                  ?? throw new ArgumentException($"{schemaPath}: a backfill reads records; the schema is not a record.");
                var options = new BackfillOptions
                {
                    Where = result.GetValue(where),
                    Mode = result.GetValue(full) ? BackfillMode.Full : result.GetValue(incremental) ? BackfillMode.Incremental : BackfillMode.Auto,
                    Parallelism = result.GetValue(parallel) ?? Environment.ProcessorCount,
                    DryRun = result.GetValue(dryRun),
                    ResetBookmark = result.GetValue(reset),
                    MaxErrors = result.GetValue(maxErrors),
                    Watermark = result.GetValue(watermark)?.UtcDateTime,
                    Schema = inputSchema,
                };
                await using var catalog = await CatalogCli.OpenAsync(cancellationToken);
                await using var dataSource = string.IsNullOrWhiteSpace(result.GetValue(postgres))
                    ? NpgsqlDataSource.Create(PostgresConnection.Require(catalog.Options))
                    : PostgresConnection.Open(result, postgres);
                var lake = LakeFor(catalog.Options.Lake, pipeline.Source.Batch?.Path);
                BackfillSummary summary;
                if (result.GetValue(shared) || result.GetValue(join) is not null)
                {
                    if (options.Mode == BackfillMode.Incremental || options.DryRun)
                    {
                        throw new CliUsageException("--shared and --join run full backfills; --incremental and --dry-run run on one host.");
                    }

                    var hosts = new SharedBackfill(dataSource, lake, catalog.Store, $"{Environment.MachineName}:{Environment.ProcessId}");
                    var runId = result.GetValue(join) ?? await hosts.CreateAsync(pipeline, options, cancellationToken);
                    await Console.Error.WriteLineAsync($"backfill {pipeline.Name}: run {runId}; add hosts with: streams backfill {result.GetValue(spec)!.Name} --join {runId}");
                    summary = await hosts.WorkAsync(pipeline, runId, options, cancellationToken);
                }
                else
                {
                    summary = await RunWithProgressAsync(new BackfillRunner(dataSource, lake, catalog.Store), pipeline, options, cancellationToken);
                }

                Summarize(summary);
                return summary.Status == BackfillStatus.Failed ? 1 : 0;
            }
            catch (BackfillFailedException e)
            {
                await Console.Error.WriteLineAsync($"streams backfill: FAILED: {CliMessages.Of(e)} The view and the bookmark are unchanged.");
                return 1;
            }
            catch (Exception e) when (e is BatchSourceException or PipelineSpecException or ExpressionException or TransformException or PipelineExecutionException
                                          or ServingException or RecordFileException or SchemaException or CatalogException or LakePathException or IOException
                                          or InvalidOperationException or ArgumentException or NpgsqlException)
            {
                await Console.Error.WriteLineAsync($"streams backfill: {CliMessages.Of(e)}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>The configured lake, or, when none is, a lake rooted at an absolute source path (a local folder or s3://bucket/prefix).</summary>
    private static ILakeStorage LakeFor(LakeOptions options, string? path)
    {
        if (string.IsNullOrWhiteSpace(options.Root) && path is not null && (Path.IsPathRooted(path) || path.Contains("://", StringComparison.Ordinal)))
        {
            return LakeStorage.Create(new LakeOptions { Root = path, S3 = options.S3 });
        }

        return LakeStorage.Create(options);
    }

    private static async Task<BackfillSummary> RunWithProgressAsync(BackfillRunner runner, PipelineSpec pipeline, BackfillOptions options,
        CancellationToken cancellationToken)
    {
        if (options.DryRun)
        {
            return await runner.RunAsync(pipeline, options, null, cancellationToken);
        }

        if (!CliConsole.Interactive)
        {
            // Not a terminal: plain progress lines on stderr, no colour or cursor codes.
            var lines = new Progress<BackfillProgress>(p => Console.Error.WriteLine($"backfill {pipeline.Name}: {Describe(p)}"));
            return await runner.RunAsync(pipeline, options, lines, cancellationToken);
        }

        BackfillSummary? summary = null;
        await CliConsole.Output.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"backfill {Markup.Escape(pipeline.Name)}", maxValue: 1);
                var progress = new Progress<BackfillProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.BytesTotal);
                    task.Value = p.Bytes;
                    task.Description = Markup.Escape(Describe(p));
                });
                summary = await runner.RunAsync(pipeline, options, progress, cancellationToken);
                task.Value = task.MaxValue;
            });
        return summary!;
    }

    private static string Describe(BackfillProgress p)
    {
        var eta = p.Remaining is { } remaining ? string.Create(CultureInfo.InvariantCulture, $", ETA {remaining:hh\\:mm\\:ss}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"splits {p.SplitsDone}/{p.SplitsTotal}, {p.Rows:N0} rows, {p.MegabytesPerSecond:0.0} MB/s, {p.DeadLetters} dead letters{eta}");
    }

    private static void Summarize(BackfillSummary summary)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (summary.Status == BackfillStatus.Planned)
        {
            var partitions = new Table().AddColumns("Partition", "Location", "Files", "Bytes");
            foreach (var partition in summary.Partitions)
            {
                partitions.AddRow(Markup.Escape(partition.Values.Count == 0 ? "(unpartitioned)" : string.Join("/", partition.Values)), Markup.Escape(partition.Location),
                    partition.Files.ToString(invariant), partition.Bytes.ToString("N0", invariant));
            }

            CliConsole.Output.Write(partitions);
            foreach (var file in summary.FilesRead)
            {
                CliConsole.Output.WriteLine($"would read {file}");
            }
        }

        var table = new Table().AddColumns("Metric", "Value");
        void Row(string metric, string value) => table.AddRow(metric, Markup.Escape(value));
        table.AddRow("Status", summary.Status switch
        {
            BackfillStatus.Succeeded => "[green]SUCCEEDED[/]",
            BackfillStatus.Planned => "DRY RUN (nothing changed)",
            _ => "[red]FAILED[/]",
        });
        Row("Run", summary.RunId.ToString());
        Row("Mode", summary.Mode.ToString().ToLowerInvariant());
        Row("Source", summary.Source);
        Row("Partitions read", summary.Partitions.Count.ToString(invariant));
        Row("Partitions pruned", summary.PartitionsPruned.ToString(invariant));
        Row("Files listed", summary.FilesListed.ToString(invariant));
        Row("Files read", summary.FilesRead.Count.ToString(invariant));
        Row("Files unchanged (bookmark)", summary.FilesUnchanged.ToString(invariant));
        Row("Files changed / removed", $"{summary.FilesChanged} / {summary.FilesRemoved}");
        Row("Files re-read (shared windows)", summary.FilesReread.ToString(invariant));
        Row("Splits", summary.Splits.ToString(invariant));
        Row("Rows read", summary.RowsRead.ToString("N0", invariant));
        Row("Row groups skipped", summary.RowGroupsSkipped.ToString(invariant));
        Row("Rows aggregated columnar", summary.RowsColumnar.ToString("N0", invariant));
        Row("Dead letters", summary.DeadLetters.ToString(invariant));
        Row("Rows written / carried over", $"{summary.RowsWritten:N0} / {summary.RowsCarriedOver:N0}");
        Row("Generation", summary.Generation?.ToString(invariant) ?? "-");
        Row("Watermark", summary.Watermark?.ToString("O", invariant) ?? "-");
        Row("MB read", (summary.Bytes / 1e6).ToString("0.0", invariant));
        Row("Duration", $"{summary.Duration.TotalSeconds:0.0} s");
        if (summary.Message is not null)
        {
            Row("Note", summary.Message);
        }

        CliConsole.Output.Write(table);
    }
}
