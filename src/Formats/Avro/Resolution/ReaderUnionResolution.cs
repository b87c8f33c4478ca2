using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>
/// The reader's schema is a union and the writer's is not (or is one branch of a writer union): the value is read
/// into the reader's branch <see cref="BranchIndex"/>: the branch of the same type (and full name) when there is
/// one, else the first that matches the writer's schema by name or promotion.
/// </summary>
public sealed class ReaderUnionResolution : ResolutionNode
{
    internal ReaderUnionResolution(Schema writer, UnionSchema reader, int branchIndex, ResolutionNode branch)
        : base(writer, reader)
    {
        BranchIndex = branchIndex;
        Branch = branch;
    }

    /// <summary>The reader's union.</summary>
    public new UnionSchema Reader => (UnionSchema)base.Reader;

    /// <summary>The index of the reader's branch that receives the value.</summary>
    public int BranchIndex { get; }

    /// <summary>How to read the writer's value as that branch.</summary>
    public ResolutionNode Branch { get; }
}
