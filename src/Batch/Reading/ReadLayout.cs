using Streams.Catalog.Model;
using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Batch.Reading;

/// <summary>
/// The schemas of one backfill, resolved once: files are read as <see cref="FileSchema"/>, and handed to
/// the pipeline as <see cref="OutputSchema"/>, which adds the partition keys the files do not hold as
/// string columns (as Glue's DynamicFrames and DuckDB's hive_partitioning do).
/// </summary>
public sealed class ReadLayout
{
    /// <summary>Creates the layout of <paramref name="fileSchema"/> with the source's <paramref name="partitionKeys"/>.</summary>
    public ReadLayout(RecordSchema fileSchema, IReadOnlyList<Column> partitionKeys)
    {
        ArgumentNullException.ThrowIfNull(fileSchema);
        FileSchema = fileSchema;
        var appended = new List<int>();
        for (var i = 0; i < partitionKeys.Count; i++)
        {
            if (fileSchema.GetField(partitionKeys[i].Name) is null)
            {
                appended.Add(i);
            }
        }

        AppendedPartitionKeys = appended;
        OutputSchema = appended.Count == 0
            ? fileSchema
            : Schemas.Record(fileSchema, fileSchema.Fields.Concat(appended.Select(i => new Field(partitionKeys[i].Name, PrimitiveSchema.String))));
    }

    /// <summary>The schema every file is read as.</summary>
    public RecordSchema FileSchema { get; }

    /// <summary>The schema of the records handed to the pipeline.</summary>
    public RecordSchema OutputSchema { get; }

    /// <summary>Indexes (into the source's partition keys) of the keys appended as columns.</summary>
    public IReadOnlyList<int> AppendedPartitionKeys { get; }
}
