using Streams.Formats.Model;

namespace Streams.Formats.Avro;

/// <summary>A map read as a map: every value through <see cref="Values"/>.</summary>
public sealed class MapResolution : Resolution
{
    internal MapResolution(MapSchema writer, MapSchema reader, Resolution values)
        : base(writer, reader)
    {
        Values = values;
    }

    /// <summary>How to read each value.</summary>
    public Resolution Values { get; }
}
