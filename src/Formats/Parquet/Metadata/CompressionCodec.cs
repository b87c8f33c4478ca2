namespace Streams.Formats.Parquet.Metadata;

/// <summary>The page compression codecs (parquet.thrift <c>CompressionCodec</c>).</summary>
public enum CompressionCodec
{
    Uncompressed = 0,
    Snappy = 1,
    Gzip = 2,
    Lzo = 3,
    Brotli = 4,
    Lz4 = 5,
    Zstd = 6,
    Lz4Raw = 7,
}
