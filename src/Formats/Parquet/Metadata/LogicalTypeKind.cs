namespace Streams.Formats.Parquet.Metadata;

/// <summary>The branches of the parquet.thrift <c>LogicalType</c> union (values are the Thrift field ids).</summary>
public enum LogicalTypeKind
{
    String = 1,
    Map = 2,
    List = 3,
    Enum = 4,
    Decimal = 5,
    Date = 6,
    Time = 7,
    Timestamp = 8,
    Integer = 10,
    Unknown = 11,
    Json = 12,
    Bson = 13,
    Uuid = 14,
    Float16 = 15,

    /// <summary>A branch this implementation does not know (read from a newer writer); it is ignored.</summary>
    Unsupported = -1,
}
