using Streams.Formats.Model;

namespace Streams.Formats.Avro;

/// <summary>An array read as an array: every item through <see cref="Items"/>.</summary>
public sealed class ArrayResolution : Resolution
{
    internal ArrayResolution(ArraySchema writer, ArraySchema reader, Resolution items)
        : base(writer, reader)
    {
        Items = items;
    }

    /// <summary>How to read each item.</summary>
    public Resolution Items { get; }
}
