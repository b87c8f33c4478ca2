namespace Streams.Formats.Parquet.Metadata;

/// <summary>How often a schema node occurs in its parent.</summary>
public enum FieldRepetitionType
{
    Required = 0,
    Optional = 1,
    Repeated = 2,
}
