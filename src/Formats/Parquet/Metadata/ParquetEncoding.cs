namespace Streams.Formats.Parquet.Metadata;

/// <summary>The encodings of values and levels (parquet.thrift <c>Encoding</c>).</summary>
public enum ParquetEncoding
{
    Plain = 0,
    PlainDictionary = 2,
    Rle = 3,
    BitPacked = 4,
    DeltaBinaryPacked = 5,
    DeltaLengthByteArray = 6,
    DeltaByteArray = 7,
    RleDictionary = 8,
    ByteStreamSplit = 9,
}
