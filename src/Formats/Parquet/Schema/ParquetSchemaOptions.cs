namespace Streams.Formats.Parquet.Schema;

/// <summary>Choices in mapping a record schema to Parquet.</summary>
public sealed record ParquetSchemaOptions
{
    /// <summary>The defaults.</summary>
    public static ParquetSchemaOptions Default { get; } = new();

    /// <summary>Store decimals of precision up to 9 as INT32 and up to 18 as INT64 instead of byte arrays.</summary>
    public bool DecimalAsInteger { get; init; }
}
