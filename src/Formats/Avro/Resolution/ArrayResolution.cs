using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>An array read as an array: every item through <see cref="Items"/>.</summary>
public sealed class ArrayResolution : ResolutionNode
{
    internal ArrayResolution(ArraySchema writer, ArraySchema reader, ResolutionNode items)
        : base(writer, reader)
    {
        Items = items;
    }

    /// <summary>How to read each item.</summary>
    public ResolutionNode Items { get; }
}
