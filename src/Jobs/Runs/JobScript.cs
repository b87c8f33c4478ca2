using Streams.Catalog.Storage;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Jobs.Model;
using Streams.Pipelines.Specs;

namespace Streams.Jobs.Runs;

/// <summary>A job's <c>Command.ScriptLocation</c>: a pipeline spec on the host's file system or in the lake, with the run's <c>${name}</c> arguments in.</summary>
internal static class JobScript
{
    /// <summary>Loads a job's spec outside a run (for its bookmark or an EVENT trigger), with <paramref name="arguments"/> over its defaults.</summary>
    /// <exception cref="JobRunException">The script cannot be read, or names a parameter the arguments lack.</exception>
    public static Task<(PipelineSpec Spec, RecordSchema? Schema)> LoadAsync(Job job, IReadOnlyDictionary<string, string>? arguments, Store.JobStore store,
        LakeStorageProvider lake, CancellationToken cancellationToken) =>
        LoadAsync(new JobRunContext(job, new JobRun { Id = "", JobName = job.Name!, JobRunState = JobRunStates.Succeeded }, new JobArguments(job, arguments), store),
            lake, cancellationToken);

    /// <summary>Loads and parses the spec, and the Avro schema file it names, if any.</summary>
    /// <exception cref="JobRunException">The script cannot be read, or names a parameter the run lacks.</exception>
    public static async Task<(PipelineSpec Spec, RecordSchema? Schema)> LoadAsync(JobRunContext context, LakeStorageProvider lake,
        CancellationToken cancellationToken)
    {
        var location = context.Job.Command?.ScriptLocation
                       ?? throw new JobRunException($"Job {context.Job.Name} has no Command.ScriptLocation: set it to a pipeline spec (a path or s3:// URL).");
        string text;
        string? folder = null;
        try
        {
            if (Path.IsPathRooted(location) && File.Exists(location))
            {
                text = await File.ReadAllTextAsync(location, cancellationToken);
                folder = Path.GetDirectoryName(location);
            }
            else
            {
                await using var stream = await lake.Storage.OpenReadAsync(location, cancellationToken);
                using var reader = new StreamReader(stream);
                text = await reader.ReadToEndAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LakePathException or InvalidOperationException)
        {
            throw new JobRunException($"The job's ScriptLocation {location} cannot be read: {e.Message}", e);
        }

        var spec = PipelineSpecLoader.Parse(context.Arguments.Substitute(text, location), location);
        RecordSchema? schema = null;
        if (spec.Source.SchemaFile is { } file)
        {
            var path = Path.IsPathRooted(file) || folder is null ? file : Path.Combine(folder, file);
            schema = AvroSchemaParser.Parse(await File.ReadAllTextAsync(path, cancellationToken)) as RecordSchema
                     ?? throw new JobRunException($"{path}: the source schema is not a record.");
        }

        return (spec, schema);
    }
}
