using System.Runtime.CompilerServices;
using Streams.Catalog.Storage;
using Streams.Formats;
using Streams.Formats.Csv;
using Streams.Formats.Json;
using Streams.Formats.Model;
using Streams.Formats.Parquet;
using Streams.Pipelines;
using Streams.Serving;

namespace Streams.Batch.Reading;

/// <summary>
/// Reads splits into record batches of one schema for the whole run: every file is read as
/// <see cref="ReadLayout.FileSchema"/> (Avro resolves to it, Parquet binds its columns by name, JSON
/// lines and CSV parse to it) and the partition values are appended as columns. Bad data never throws
/// out of here: it becomes a <see cref="SplitChunk.Failure"/> naming the file and row.
/// </summary>
/// <param name="lake">Where the files live.</param>
/// <param name="layout">The schemas records are read as and handed on in.</param>
/// <param name="predicates">Conditions every record the pipeline keeps satisfies: Parquet row groups whose statistics rule them out are skipped.</param>
/// <param name="batchSize">Records per batch.</param>
/// <param name="columnar">
/// The fields the pipeline's columnar path needs (<see cref="PipelineRunner.ColumnarFields"/>), or null: each Parquet row
/// group whose columns give them as vectors is read as one columnar batch of those columns only; others as records.
/// </param>
public sealed class SplitReader(ILakeStorage lake, ReadLayout layout, IReadOnlyList<ParquetPredicate> predicates, int batchSize = 8192,
    IReadOnlyList<string>? columnar = null)
{
    /// <summary>Reads <paramref name="split"/>; the last chunk is always <see cref="SplitChunk.Done"/>.</summary>
    public async IAsyncEnumerable<SplitChunk> ReadAsync(FileSplit split, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var format = split.File.Format;
        if (format is null)
        {
            yield return new SplitChunk.Failure(split, 0,
                $"{split.File.Path}: unknown file type '{Path.GetExtension(split.File.Path)}'; set source.batch.format or use one of " +
                string.Join(", ", RecordFiles.Formats.SelectMany(f => f.Extensions)) + ".", RestOfSplit: true);
            yield return new SplitChunk.Done(split, 0, 0);
            yield break;
        }

        var chunks = format is ParquetRecordFileFormat ? ReadParquetAsync(split, cancellationToken) : ReadRecordFileAsync(split, format, cancellationToken);
        await foreach (var chunk in chunks.WithCancellation(cancellationToken))
        {
            yield return chunk;
        }
    }

    private async IAsyncEnumerable<SplitChunk> ReadParquetAsync(FileSplit split, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = split.File.Path;
        ParquetReader? reader = null;
        string? openError = null;
        try
        {
            reader = await ParquetReader.OpenAsync(await OpenSeekableAsync(split, cancellationToken), path, leaveOpen: false, cancellationToken);
        }
        catch (Exception e) when (IsDataError(e))
        {
            openError = Describe(path, e);
        }

        if (reader is null)
        {
            yield return new SplitChunk.Failure(split, 0, openError!, RestOfSplit: true);
            yield return new SplitChunk.Done(split, 0, 0);
            yield break;
        }

        await using var parquet = reader;
        var groups = reader.Metadata.RowGroups;
        var first = split.FirstRowGroup ?? 0;
        var count = split.FirstRowGroup is null ? groups.Count : split.RowGroupCount;
        var starts = new long[groups.Count + 1];
        for (var g = 0; g < groups.Count; g++)
        {
            starts[g + 1] = starts[g] + groups[g].NumRows;
        }

        var selected = Enumerable.Range(first, count).ToHashSet();
        try
        {
            foreach (var predicate in predicates)
            {
                selected.IntersectWith(reader.SelectRowGroups(predicate));
            }
        }
        catch (Exception e) when (e is ArgumentException or ParquetException)
        {
            // A constant the column cannot hold proves nothing: read every row group and let the filter decide.
            selected = Enumerable.Range(first, count).ToHashSet();
        }

        var options = new ParquetReadOptions { Schema = layout.FileSchema };
        var order = selected.Order().ToList();
        long rows = 0;
        Task<RowGroupRead>? next = order.Count > 0 ? LoadRowGroupAsync(reader, split, order[0], starts[order[0]], options, cancellationToken) : null;
        for (var i = 0; i < order.Count; i++)
        {
            RowGroupRead? read = null;
            string? error = null;
            try
            {
                read = await next!;
            }
            catch (Exception e) when (IsDataError(e))
            {
                error = Describe(path, e);
            }

            // Decode the next row group while this one goes through the pipeline.
            var following = i + 1 < order.Count ? order[i + 1] : -1;
            next = following < 0 ? null : Task.Run(() => LoadRowGroupAsync(reader, split, following, starts[following], options, cancellationToken), cancellationToken);
            if (read is null)
            {
                yield return new SplitChunk.Failure(split, starts[order[i]], $"row group {order[i]}: {error}", RestOfSplit: false);
                continue;
            }

            if (read.Columnar is { } vectors)
            {
                yield return new SplitChunk.Records(split, vectors);
                rows += vectors.Count;
                continue;
            }

            var records = read.Records!;
            for (var offset = 0; offset < records.Count; offset += batchSize)
            {
                var length = Math.Min(batchSize, records.Count - offset);
                yield return new SplitChunk.Records(split, Batch(path, records, offset, length, starts[order[i]] + offset, split.File.PartitionValues));
            }

            rows += records.Count;
        }

        yield return new SplitChunk.Done(split, rows, count - order.Count);
    }

    private async IAsyncEnumerable<SplitChunk> ReadRecordFileAsync(FileSplit split, RecordFileFormat format,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = split.File.Path;
        IRecordReader? reader = null;
        string? openError = null;
        try
        {
            var stream = await lake.OpenReadAsync(path, cancellationToken);
            reader = await format.OpenReaderAsync(new BufferedStream(stream, 1 << 16),
                new RecordFileOptions { Schema = layout.FileSchema, FileName = path }, cancellationToken);
        }
        catch (Exception e) when (IsDataError(e))
        {
            openError = Describe(path, e);
        }

        if (reader is null)
        {
            yield return new SplitChunk.Failure(split, 0, openError!, RestOfSplit: true);
            yield return new SplitChunk.Done(split, 0, 0);
            yield break;
        }

        await using var _ = reader;
        long row = 0;
        Exception? previous = null;
        while (true)
        {
            IReadOnlyList<object?>? values = null;
            Exception? error = null;
            try
            {
                values = await reader.ReadBatchAsync(cancellationToken);
            }
            catch (Exception e) when (IsDataError(e))
            {
                error = e;
            }

            if (error is not null)
            {
                // A bad JSON line or CSV row spoils only itself (the reader goes on after it); anything else,
                // or the same error again, ends the file.
                var rowLevel = error is JsonLinesException or CsvFormatException && !ReferenceEquals(error, previous);
                var at = error switch
                {
                    JsonLinesException j => j.Line - 1,
                    CsvFormatException c => c.Row - 1,
                    _ => row,
                };
                yield return new SplitChunk.Failure(split, at, Describe(path, error), RestOfSplit: !rowLevel);
                if (!rowLevel)
                {
                    break;
                }

                previous = error;
                row++;
                continue;
            }

            if (values is null)
            {
                break;
            }

            var records = new GenericRecord[values.Count];
            for (var i = 0; i < values.Count; i++)
            {
                records[i] = (GenericRecord)values[i]!;
            }

            yield return new SplitChunk.Records(split, Batch(path, records, 0, records.Length, row, split.File.PartitionValues));
            row += records.Length;
        }

        yield return new SplitChunk.Done(split, row, 0);
    }

    /// <summary>
    /// Reads one row group: as one columnar batch when the pipeline has a columnar path and the file gives every field it
    /// needs as a vector, else as records.
    /// </summary>
    private async Task<RowGroupRead> LoadRowGroupAsync(ParquetReader reader, FileSplit split, int group, long firstRow,
        ParquetReadOptions options, CancellationToken cancellationToken)
    {
        if (columnar is null)
        {
            return new RowGroupRead(await reader.ReadRowGroupAsync(group, options, cancellationToken), null);
        }

        var vectors = await reader.ReadColumnVectorsAsync(group, layout.FileSchema, columnar, cancellationToken);
        if (reader.Metadata.RowGroups[group].NumRows == 0 || vectors.Any(v => v is null))
        {
            return new RowGroupRead(await reader.ReadRowGroupAsync(group, options, cancellationToken), null);
        }

        var path = split.File.Path;
        var columns = new Dictionary<string, ColumnVector>(StringComparer.Ordinal);
        for (var i = 0; i < columnar.Count; i++)
        {
            columns[columnar[i]] = vectors[i]!;
        }

        var rows = (int)reader.Metadata.RowGroups[group].NumRows;
        return new RowGroupRead(null, new RecordBatch(new ColumnarBatch(layout.OutputSchema, rows, columns, SourcePosition.InFile(path, firstRow),
            async token =>
            {
                // Rare (a row for the dead letters, a shape the vectors do not cover): read the row group again, every column.
                await using var again = await ParquetReader.OpenAsync(await OpenSeekableAsync(split, token), path, leaveOpen: false, token);
                var records = await again.ReadRowGroupAsync(group, options, token);
                return Batch(path, records, 0, records.Count, firstRow, split.File.PartitionValues);
            })));
    }

    /// <summary>A row group read as records or as one columnar batch.</summary>
    private sealed record RowGroupRead(IReadOnlyList<GenericRecord>? Records, RecordBatch? Columnar);

    /// <summary>A batch of records <paramref name="offset"/>..+<paramref name="length"/> in the run's schema, positioned at file rows from <paramref name="firstRow"/>.</summary>
    private RecordBatch Batch(string path, IReadOnlyList<GenericRecord> records, int offset, int length, long firstRow, IReadOnlyList<string> partitionValues)
    {
        var output = new GenericRecord[length];
        var positions = new SourcePosition?[length];
        var appended = layout.AppendedPartitionKeys;
        var width = layout.FileSchema.Fields.Count;
        for (var i = 0; i < length; i++)
        {
            var record = records[offset + i];
            if (appended.Count == 0)
            {
                output[i] = record;
            }
            else
            {
                var values = new object?[width + appended.Count];
                record.Values.CopyTo(values);
                for (var k = 0; k < appended.Count; k++)
                {
                    values[width + k] = partitionValues[appended[k]];
                }

                output[i] = new GenericRecord(layout.OutputSchema, values);
            }

            positions[i] = SourcePosition.InFile(path, firstRow + i);
        }

        return new RecordBatch(layout.OutputSchema, output, positions);
    }

    private async Task<Stream> OpenSeekableAsync(FileSplit split, CancellationToken cancellationToken)
    {
        var stream = await lake.OpenReadAsync(split.File.Path, cancellationToken);
        if (stream.CanSeek)
        {
            return stream;
        }

        // S3 streams do not seek: Parquet's footer and column chunks are read as ranged GETs instead.
        await stream.DisposeAsync();
        return new LakeFileStream(lake, split.File.Object);
    }

    /// <summary>True for the errors bad or missing data raises, as opposed to bugs and cancellation.</summary>
    internal static bool IsDataError(Exception e) =>
        e is RecordFileException or SchemaException or IOException or UnauthorizedAccessException or InvalidDataException
            or ArgumentException or FormatException or InvalidCastException or OverflowException or NotSupportedException
            || e.GetType().FullName == "Amazon.S3.AmazonS3Exception";

    private static string Describe(string path, Exception e) =>
        e.Message.Contains(path, StringComparison.Ordinal) || (e is RecordFileException { FileName: { } name } && e.Message.Contains(name, StringComparison.Ordinal))
            ? e.Message
            : $"{path}: {e.Message}";
}
