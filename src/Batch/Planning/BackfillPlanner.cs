using Streams.Batch.Reading;
using Streams.Batch.Sources;
using Streams.Catalog.Storage;
using Streams.Formats;
using Streams.Formats.Model;
using Streams.Formats.Parquet;
using Streams.Pipelines.Specs;
using Streams.Pipelines.Transforms;

namespace Streams.Batch.Planning;

/// <summary>
/// Turns a resolved source into a plan: the schema every file is read as (the pipeline's schema file, else the
/// catalog's columns for formats that carry no schema, else the first readable file's own), the splits
/// (a Parquet file larger than the split size is cut into row-group ranges), and the predicates that
/// skip row groups.
/// </summary>
/// <param name="lake">The lake storage.</param>
/// <param name="splitBytes">The size above which a Parquet file is read as several splits.</param>
public sealed class BackfillPlanner(ILakeStorage lake, long splitBytes = 64L << 20)
{
    /// <summary>Plans the reading of <paramref name="files"/> (a subset of the source's, say the ones a bookmark has not seen).</summary>
    /// <param name="spec">The pipeline.</param>
    /// <param name="source">The resolved source.</param>
    /// <param name="files">The files to read.</param>
    /// <param name="schema">The schema given by the pipeline (source.schema) or the command line, or null.</param>
    /// <param name="cancellationToken">Cancels the planning.</param>
    /// <exception cref="BatchSourceException">No schema can be found: no file is readable and none is given.</exception>
    public async Task<BackfillPlan> PlanAsync(PipelineSpec spec, ResolvedSource source, IReadOnlyList<LakeFile> files, RecordSchema? schema,
        CancellationToken cancellationToken = default)
    {
        var fileSchema = schema ?? await ProbeSchemaAsync(source, cancellationToken);
        var layout = new ReadLayout(fileSchema, source.PartitionKeys);
        var splits = new List<FileSplit>();
        foreach (var file in files)
        {
            splits.AddRange(await SplitAsync(file, cancellationToken));
        }

        return new BackfillPlan(source, layout, splits, FilterPushdown.Predicates(spec, layout.OutputSchema));
    }

    private async Task<RecordSchema> ProbeSchemaAsync(ResolvedSource source, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var file in source.Files.Where(f => f.Format is not null))
        {
            if (!file.Format!.StoresSchema)
            {
                if (source.Schema is not null)
                {
                    return source.Schema;
                }

                continue;
            }

            try
            {
                if (file.Format is ParquetRecordFileFormat)
                {
                    await using var parquet = await ParquetReader.OpenAsync(new LakeFileStream(lake, file.Object), file.Path, cancellationToken: cancellationToken);
                    return parquet.Schema;
                }

                await using var reader = await file.Format.OpenReaderAsync(await lake.OpenReadAsync(file.Path, cancellationToken),
                    new RecordFileOptions { FileName = file.Path }, cancellationToken);
                if (reader.Schema is RecordSchema record)
                {
                    return record;
                }

                errors.Add($"{file.Path} holds {reader.Schema.DisplayName} values, not records");
            }
            catch (Exception e) when (SplitReader.IsDataError(e))
            {
                errors.Add(e.Message);
                if (errors.Count >= 3)
                {
                    break;
                }
            }
        }

        if (source.Schema is not null)
        {
            return source.Schema;
        }

        throw new BatchSourceException(
            $"{source.Description}: no schema for the records. " + (errors.Count > 0 ? $"The files tried do not open: {string.Join("; ", errors)}. " : "") +
            "Give one with source.schema (an .avsc file) in the pipeline, or crawl the data into the catalog and use source.batch.table.");
    }

    private async Task<IReadOnlyList<FileSplit>> SplitAsync(LakeFile file, CancellationToken cancellationToken)
    {
        if (file.Format is not ParquetRecordFileFormat || file.Object.Size <= splitBytes)
        {
            return [new FileSplit(file, null, 0, file.Object.Size)];
        }

        List<long> sizes;
        try
        {
            await using var parquet = await ParquetReader.OpenAsync(new LakeFileStream(lake, file.Object), file.Path, cancellationToken: cancellationToken);
            sizes = parquet.Metadata.RowGroups.Select(g => g.TotalCompressedSize ?? g.TotalByteSize).ToList();
        }
        catch (Exception e) when (SplitReader.IsDataError(e))
        {
            // The reader reports the file as a dead letter when it reads it.
            return [new FileSplit(file, null, 0, file.Object.Size)];
        }

        var splits = new List<FileSplit>();
        var start = 0;
        long bytes = 0;
        for (var g = 0; g < sizes.Count; g++)
        {
            bytes += sizes[g];
            if (bytes >= splitBytes || g == sizes.Count - 1)
            {
                splits.Add(new FileSplit(file, start, g - start + 1, bytes));
                start = g + 1;
                bytes = 0;
            }
        }

        return splits.Count == 0 ? [new FileSplit(file, null, 0, file.Object.Size)] : splits;
    }
}
