namespace Streams.Formats.Parquet.Metadata;

/// <summary>The unit of a TIME or TIMESTAMP logical type.</summary>
public enum TimeUnit
{
    Millis = 1,
    Micros = 2,
    Nanos = 3,
}
