using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>
/// A node of a resolution tree (Avro 1.11 specification, "Schema Resolution"): how to read data written with
/// <see cref="Writer"/> as values of <see cref="Reader"/>. A decoder compiles the tree once per schema pair.
/// Trees of recursive schemas are graphs: a <see cref="RecordResolution"/> may be reached again from its own fields.
/// </summary>
public abstract class ResolutionNode
{
    private protected ResolutionNode(Schema writer, Schema reader)
    {
        Writer = writer;
        Reader = reader;
    }

    /// <summary>The writer's schema at this node.</summary>
    public Schema Writer { get; }

    /// <summary>The reader's schema at this node.</summary>
    public Schema Reader { get; }
}
