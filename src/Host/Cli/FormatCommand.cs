using System.CommandLine;
using System.Text.Json;
using Streams.Formats;
using Streams.Formats.Avro;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Json;
using Streams.Formats.Model;

namespace Streams.Host.Cli;

/// <summary>
/// <c>streams format</c>: look into and convert record files (<c>.avro</c>, <c>.jsonl</c>, and whatever
/// <see cref="RecordFiles"/> knows). Exit codes: 0 success, 1 bad data or file, 2 usage.
/// </summary>
public static class FormatCommand
{
    private const int BadData = CliExitCodes.Failure;
    private const int Usage = CliExitCodes.Usage;

    /// <summary>Creates the command with its <c>cat</c>, <c>schema</c> and <c>convert</c> subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("format", "Read, inspect and convert record files (Avro, Parquet, JSON lines) by extension.");
        command.Subcommands.Add(Cat());
        command.Subcommands.Add(SchemaCommand());
        command.Subcommands.Add(Convert());
        return command;
    }

    private static Option<FileInfo?> SchemaOption(string description) => new("--schema")
    {
        Description = description,
    };

    private static Command Cat()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The file to print." };
        var limit = new Option<long?>("--limit") { Description = "Print at most this many records." };
        var schema = SchemaOption("An Avro schema (.avsc) to read the records as: resolved from an Avro file's schema, required for JSON lines.");
        var command = new Command("cat", "Print the records of a file as JSON lines on standard output.") { file, limit, schema };
        command.SetAction((r, ct) => Run(r, async (output, _) =>
        {
            var max = r.GetValue(limit);
            if (max is < 0)
            {
                throw new CliUsageException("--limit must not be negative.");
            }

            var path = r.GetValue(file)!.FullName;
            await using var reader = await OpenReaderAsync(path, ReadSchema(r.GetValue(schema)), ct);
            await WarnAsync(r, reader, ct);
            await using var writer = new JsonLinesWriter(output, reader.Schema);
            var count = 0L;
            while (count < (max ?? long.MaxValue) && await reader.ReadBatchAsync(ct) is { } batch)
            {
                foreach (var record in batch)
                {
                    if (count++ >= (max ?? long.MaxValue))
                    {
                        break;
                    }

                    await writer.WriteAsync(record, ct);
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command SchemaCommand()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A file that stores its schema (Avro)." };
        var command = new Command("schema", "Print the schema a file was written with, as pretty JSON.") { file };
        command.SetAction((r, ct) => Run(r, async (output, _) =>
        {
            var path = r.GetValue(file)!.FullName;
            var format = GetFormat(path);
            if (!format.StoresSchema)
            {
                throw new CliUsageException($"{path}: {format.Name} files carry no schema.");
            }

            await using var reader = await OpenReaderAsync(path, null, ct);
            await WarnAsync(r, reader, ct);
            await output.WriteLineAsync(AvroSchemaWriter.ToJson(reader.Schema, indented: true).AsMemory(), ct);
            return 0;
        }));
        return command;
    }

    private static Command Convert()
    {
        var input = new Argument<FileInfo>("IN") { Description = "The file to read." };
        var output = new Argument<FileInfo>("OUT") { Description = "The file to write (replaced if it exists); its extension picks the format." };
        var codec = new Option<string?>("--codec")
        {
            Description = $"Compression of the output: {string.Join(", ", AvroRecordFileFormat.Instance.Codecs)} (Avro); "
                + $"{string.Join(", ", Streams.Formats.Parquet.ParquetRecordFileFormat.Instance.Codecs)} (Parquet).",
        };
        var schema = SchemaOption("An Avro schema (.avsc) for the records: required when IN is JSON lines; for Avro input, the schema to resolve to.");
        var command = new Command("convert", "Convert a record file to another format, by the extensions of IN and OUT.")
        {
            input, output, codec, schema,
        };
        command.SetAction((r, ct) => Run(r, async (console, _) =>
        {
            var inPath = r.GetValue(input)!.FullName;
            var outPath = r.GetValue(output)!.FullName;
            var codecName = r.GetValue(codec);
            var outFormat = GetFormat(outPath);
            if (codecName is not null && !outFormat.Codecs.Contains(codecName, StringComparer.OrdinalIgnoreCase))
            {
                throw new CliUsageException(outFormat.Codecs.Count == 0
                    ? $"--codec does not apply to {outFormat.Name} output, which is not compressed."
                    : $"Unknown {outFormat.Name} codec '{codecName}'; use one of: {string.Join(", ", outFormat.Codecs)}.");
            }

            await using var reader = await OpenReaderAsync(inPath, ReadSchema(r.GetValue(schema)), ct);
            await WarnAsync(r, reader, ct);
            var count = 0L;
            using var staged = new StagedFile(outPath);
            await using (var writer = await OpenWriterAsync(staged, reader.Schema, codecName, outFormat, ct))
            {
                while (await ReadBatchAsync(reader, ct) is { } batch)
                {
                    foreach (var record in batch)
                    {
                        try
                        {
                            await writer.WriteAsync(record, ct);
                        }
                        catch (Exception e) when (e is AvroValueException or ArgumentException or InvalidCastException or FormatException)
                        {
                            throw new DataException($"{inPath}: record {count} cannot be written to {outPath}: {CliMessages.Of(e)} (nothing was written)");
                        }

                        count++;
                    }
                }
            }

            staged.Commit();
            await r.InvocationConfiguration.Error.WriteLineAsync($"{count} records written to {outPath}.".AsMemory(), ct);
            return 0;
        }));
        return command;
    }

    /// <summary>Runs an action, turning the errors users cause into a message on standard error and an exit code.</summary>
    private static async Task<int> Run(ParseResult result, Func<TextWriter, CancellationToken, Task<int>> action)
    {
        var output = result.InvocationConfiguration.Output;
        var error = result.InvocationConfiguration.Error;
        try
        {
            return await action(output, CancellationToken.None);
        }
        catch (CliUsageException e)
        {
            await error.WriteLineAsync($"error: {CliMessages.Of(e)}");
            return Usage;
        }
        catch (Exception e) when (e is RecordFileException or DataException or SchemaResolutionException or AvroValueException)
        {
            await output.FlushAsync();
            await error.WriteLineAsync($"error: {CliMessages.Of(e)}");
            return BadData;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {CliMessages.Of(e)}");
            return BadData;
        }
    }

    /// <summary>The next batch; bad input fails the conversion, which leaves no output file.</summary>
    private static async Task<IReadOnlyList<object?>?> ReadBatchAsync(IRecordReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadBatchAsync(cancellationToken);
        }
        catch (RecordFileException e)
        {
            throw new DataException($"{CliMessages.Of(e)} (nothing was written)");
        }
    }

    /// <summary>A writer of the staged output; a schema the output format cannot store is bad data, named with the format.</summary>
    private static async Task<IRecordWriter> OpenWriterAsync(StagedFile staged, Schema schema, string? codec, RecordFileFormat format,
        CancellationToken cancellationToken)
    {
        try
        {
            return await RecordFiles.OpenWriterAsync(staged.TemporaryPath, schema, new RecordFileOptions { Codec = codec, FileName = staged.Path },
                cancellationToken);
        }
        catch (SchemaException e)
        {
            throw new DataException($"{staged.Path}: {format.Name} cannot hold these records: {CliMessages.Of(e).TrimEnd('.')} (nothing was written).");
        }
    }

    private static RecordFileFormat GetFormat(string path) =>
        RecordFiles.FindFormat(path) ?? throw new CliUsageException(
            $"{path}: unknown file type '{Path.GetExtension(path)}'; supported: {string.Join(", ", RecordFiles.Formats.SelectMany(f => f.Extensions))}.");

    private static async Task<IRecordReader> OpenReaderAsync(string path, Schema? schema, CancellationToken cancellationToken)
    {
        var format = GetFormat(path);
        if (!format.StoresSchema && schema is null)
        {
            throw new CliUsageException($"{path}: {format.Name} files carry no schema; give one with --schema FILE.avsc.");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        return await RecordFiles.OpenReaderAsync(path, new RecordFileOptions { Schema = schema }, cancellationToken);
    }

    /// <summary>Prints what the reader read past (a stored schema it set aside...) on standard error.</summary>
    private static async Task WarnAsync(ParseResult result, IRecordReader reader, CancellationToken cancellationToken)
    {
        foreach (var warning in reader.Warnings)
        {
            await result.InvocationConfiguration.Error.WriteLineAsync($"warning: {warning.Message}".AsMemory(), cancellationToken);
        }
    }

    private static Schema? ReadSchema(FileInfo? file)
    {
        if (file is null)
        {
            return null;
        }

        if (!file.Exists)
        {
            throw new CliUsageException($"{file.FullName}: no such schema file.");
        }

        try
        {
            return AvroSchemaParser.Parse(File.ReadAllText(file.FullName));
        }
        catch (Exception e) when (e is SchemaException or JsonException)
        {
            throw new CliUsageException($"{file.FullName}: not a valid Avro schema: {CliMessages.Of(e)}");
        }
    }

    /// <summary>The data cannot be converted (exit code 1).</summary>
    private sealed class DataException(string message) : Exception(message);
}
