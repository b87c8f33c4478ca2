using Streams.Formats.Parquet.Metadata;
using Streams.Formats.Parquet.Schema;

namespace Streams.Formats.Parquet;

/// <summary>Settings of a <see cref="ParquetWriter"/>.</summary>
public sealed record ParquetWriterOptions
{
    /// <summary>The defaults: SNAPPY, data page v1, 1 MiB pages, 128 MiB / 1 Mi-row row groups, dictionaries up to 1 MiB.</summary>
    public static ParquetWriterOptions Default { get; } = new();

    /// <summary>
    /// The settings of the lake archive (the speed layer's Parquet files, read back by backfills): ZSTD level 3.
    /// Measured by bench/ (parquet benchmark, 12 columns x 2M rows, columnar writer): ZSTD 3 files are 0.31x the
    /// size of SNAPPY ones at the same write and read time (ZSTD 1: 0.46x), so archives take ZSTD; DuckDB,
    /// Arrow, Spark and Parquet.Net read it.
    /// </summary>
    public static ParquetWriterOptions Archive { get; } = new() { Compression = CompressionCodec.Zstd, CompressionLevel = 3 };

    /// <summary>The page codec: UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW or LZ4 (Hadoop framing, for old readers).</summary>
    public CompressionCodec Compression { get; init; } = CompressionCodec.Snappy;

    /// <summary>The ZSTD level (1 fastest .. 22 smallest); null for zstd's default, 3. Other codecs ignore it.</summary>
    public int? CompressionLevel { get; init; }

    /// <summary>1 for DATA_PAGE, 2 for DATA_PAGE_V2 (levels uncompressed, in the header's byte lengths).</summary>
    public int DataPageVersion { get; init; } = 1;

    /// <summary>The target uncompressed size of a data page; pages of repeated columns end on row boundaries.</summary>
    public int PageSize { get; init; } = 1 << 20;

    /// <summary>The buffered (in-memory, uncompressed) size at which a row group is written out; bounds memory.</summary>
    public long RowGroupSize { get; init; } = 128L << 20;

    /// <summary>The most rows in a row group.</summary>
    public int RowGroupRows { get; init; } = 1 << 20;

    /// <summary>Dictionary-encode columns (RLE_DICTIONARY) while the dictionary stays within <see cref="DictionaryPageSizeLimit"/>.</summary>
    public bool EnableDictionary { get; init; } = true;

    /// <summary>The largest PLAIN-encoded dictionary; past it the column chunk is written PLAIN.</summary>
    public int DictionaryPageSizeLimit { get; init; } = 1 << 20;

    /// <summary>Write min, max and null count per column chunk and per page.</summary>
    public bool WriteStatistics { get; init; } = true;

    /// <summary>How the record schema maps to Parquet.</summary>
    public ParquetSchemaOptions Schema { get; init; } = ParquetSchemaOptions.Default;

    /// <summary>Extra key/value metadata for the footer.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Store the record schema as Avro JSON under <c>parquet.avro.schema</c> so readers get it back exactly.</summary>
    public bool StoreAvroSchema { get; init; } = true;

    /// <summary>The <c>created_by</c> of the footer.</summary>
    public string CreatedBy { get; init; } = "Streams parquet writer";

    internal void Validate()
    {
        if (!Encodings.PageCompression.CanWrite(Compression))
            throw new ArgumentException($"Compression {Compression} is not supported for writing; use {Encodings.PageCompression.WritableNames}.");
        if (CompressionLevel is < -7 or > 22)
            throw new ArgumentException($"CompressionLevel must be between -7 and 22 (ZSTD levels), not {CompressionLevel}.");
        if (DataPageVersion is not (1 or 2))
            throw new ArgumentException($"DataPageVersion must be 1 or 2, not {DataPageVersion}.");
        if (PageSize <= 0 || RowGroupSize <= 0 || RowGroupRows <= 0)
            throw new ArgumentException("PageSize, RowGroupSize and RowGroupRows must be positive.");
    }
}
