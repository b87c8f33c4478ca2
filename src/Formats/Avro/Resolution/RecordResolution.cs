using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>
/// A record read as a record whose name matches (by unqualified name or a reader alias). Fields are matched by
/// name or reader field alias; writer-only fields are skipped, reader-only fields take their defaults.
/// </summary>
public sealed class RecordResolution : ResolutionNode
{
    private IReadOnlyList<WriterFieldResolution>? _writerFields;
    private IReadOnlyList<ReaderFieldDefault>? _defaults;

    internal RecordResolution(RecordSchema writer, RecordSchema reader)
        : base(writer, reader)
    {
    }

    /// <summary>The writer's record.</summary>
    public new RecordSchema Writer => (RecordSchema)base.Writer;

    /// <summary>The reader's record.</summary>
    public new RecordSchema Reader => (RecordSchema)base.Reader;

    /// <summary>
    /// One entry per writer field, in the writer's (encoding) order: where its value goes, or that it is skipped.
    /// </summary>
    public IReadOnlyList<WriterFieldResolution> WriterFields =>
        _writerFields ?? throw new InvalidOperationException("The record resolution is still being built.");

    /// <summary>The reader fields the writer does not have, with their default values.</summary>
    public IReadOnlyList<ReaderFieldDefault> Defaults =>
        _defaults ?? throw new InvalidOperationException("The record resolution is still being built.");

    internal void Complete(IReadOnlyList<WriterFieldResolution> writerFields, IReadOnlyList<ReaderFieldDefault> defaults)
    {
        _writerFields = writerFields;
        _defaults = defaults;
    }
}
