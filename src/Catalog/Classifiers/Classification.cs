using Streams.Formats.Model;

namespace Streams.Catalog.Classifiers;

/// <summary>
/// A classifier's verdict on a file it recognised: the format, the schema inferred from the sample
/// (<c>null</c> when the format's schema cannot be extracted), and table parameters for the format
/// (such as <c>delimiter</c>).
/// </summary>
/// <param name="Format">The Glue classification: <c>csv</c>, <c>json</c>, <c>avro</c>, <c>parquet</c>.</param>
/// <param name="Schema">The inferred record schema, or <c>null</c>.</param>
/// <param name="Parameters">Table parameters and SerDe parameters the format needs.</param>
/// <param name="ClassifierName">The classifier that recognised the file.</param>
public sealed record Classification(string Format, RecordSchema? Schema, IReadOnlyDictionary<string, string> Parameters,
    string ClassifierName)
{
    /// <summary>
    /// Files of one table must agree on this: the format and its layout parameters (a comma CSV does not
    /// share a table with a tab one).
    /// </summary>
    public string CompatibilityKey =>
        Format + "|" + string.Join(";", Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
