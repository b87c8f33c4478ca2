using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>A field of the writer's record: read into <see cref="ReaderField"/> through <see cref="Resolution"/>, or skipped.</summary>
/// <param name="WriterField">The writer's field; its <see cref="Field.Schema"/> is what to skip when <see cref="IsSkipped"/>.</param>
/// <param name="ReaderField">The reader field it feeds (whose <see cref="Field.Position"/> is the target), or <c>null</c>.</param>
/// <param name="Resolution">How to read the value, or <c>null</c> when skipped.</param>
public sealed record WriterFieldResolution(Field WriterField, Field? ReaderField, ResolutionNode? Resolution)
{
    /// <summary>True when the reader has no such field and the value is skipped.</summary>
    public bool IsSkipped => ReaderField is null;
}
