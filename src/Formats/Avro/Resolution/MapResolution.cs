using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>A map read as a map: every value through <see cref="Values"/>.</summary>
public sealed class MapResolution : ResolutionNode
{
    internal MapResolution(MapSchema writer, MapSchema reader, ResolutionNode values)
        : base(writer, reader)
    {
        Values = values;
    }

    /// <summary>How to read each value.</summary>
    public ResolutionNode Values { get; }
}
