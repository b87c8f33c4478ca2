using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>
/// Data of this writer node cannot be read with the reader's schema. The specification makes this an error
/// when such data is encountered, not when the schemas are resolved, so the rest of the tree stays usable.
/// </summary>
public sealed class FailedResolution : ResolutionNode
{
    internal FailedResolution(Schema writer, Schema reader, IReadOnlyList<SchemaIncompatibility> reasons)
        : base(writer, reader)
    {
        Reasons = reasons;
    }

    /// <summary>Every reason the data cannot be read.</summary>
    public IReadOnlyList<SchemaIncompatibility> Reasons { get; }

    /// <summary>The exception a decoder throws when it meets such data.</summary>
    public AvroValueException CreateException(string path = "") =>
        new($"Data written as {Writer.DisplayName} cannot be read as {Reader.DisplayName}: "
            + string.Join("; ", Reasons.Select(r => r.ToString())), path);
}
