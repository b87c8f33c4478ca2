using Streams.Formats.Model;

namespace Streams.Formats.Parquet;

/// <summary>What to read from a Parquet file.</summary>
public sealed record ParquetReadOptions
{
    /// <summary>The defaults: every column, every row group.</summary>
    public static ParquetReadOptions Default { get; } = new();

    /// <summary>The top-level fields to read (column projection); <c>null</c> for all. Only their column chunks are read.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>
    /// The record schema to read as, instead of the one derived from the file (say the Avro schema the
    /// data was written from, to get enum and record names back). Its fields must exist in the file.
    /// </summary>
    public RecordSchema? Schema { get; init; }

    /// <summary>Row groups whose statistics show no row can satisfy this are skipped.</summary>
    public ParquetPredicate? Filter { get; init; }
}
