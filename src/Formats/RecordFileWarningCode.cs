namespace Streams.Formats;

/// <summary>The kinds of <see cref="RecordFileWarning"/>.</summary>
public enum RecordFileWarningCode
{
    /// <summary>
    /// The schema a file stores (a Parquet footer's Avro schema) is not a valid record schema, so the reader
    /// uses a schema derived from the file's own types: record names, enum symbols, docs and defaults are lost.
    /// </summary>
    StoredSchemaUnreadable,

    /// <summary>
    /// The schema a file stores is valid but does not fit the data's layout (a writer stored a schema it then
    /// did not follow), so the reader uses a schema derived from the file's own types instead.
    /// </summary>
    StoredSchemaMismatch,
}
