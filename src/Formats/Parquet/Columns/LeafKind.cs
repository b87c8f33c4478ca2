namespace Streams.Formats.Parquet.Columns;

/// <summary>How a leaf column's physical values map to the CLR values of the record model.</summary>
internal enum LeafKind
{
    Boolean,
    Int32,
    UInt32AsInt64,
    Int64,
    Float,
    Double,
    Date,
    TimeMillis,
    TimeMicros,
    TimestampMillisUtc,
    TimestampMillisLocal,
    TimestampMicrosUtc,
    TimestampMicrosLocal,
    Int96Nanos,
    DecimalInt32,
    DecimalInt64,
    DecimalBinary,
    DecimalFixed,
    String,
    Bytes,
    Fixed,
    Uuid,
    Duration,
    Float16,
}
