using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>
/// The writer's schema is a union: each writer branch has its own resolution against the reader's schema
/// (which may itself be a union, then each is a <see cref="ReaderUnionResolution"/>). A branch the reader
/// cannot read is a <see cref="FailedResolution"/>: an error only when data holds that branch.
/// </summary>
public sealed class WriterUnionResolution : ResolutionNode
{
    internal WriterUnionResolution(UnionSchema writer, Schema reader, IReadOnlyList<ResolutionNode> branches)
        : base(writer, reader)
    {
        Branches = branches;
    }

    /// <summary>The writer's union.</summary>
    public new UnionSchema Writer => (UnionSchema)base.Writer;

    /// <summary>For each writer branch index, how to read a value of that branch.</summary>
    public IReadOnlyList<ResolutionNode> Branches { get; }
}
