using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>
/// Reader/writer compatibility, the base of the registry's BACKWARD, FORWARD and FULL rules: can everything
/// written with one schema be read with another?
/// </summary>
public static class AvroCompatibility
{
    /// <summary>
    /// Every reason some data written with <paramref name="writer"/> cannot be read with <paramref name="reader"/>:
    /// the resolution's errors and the errors it defers to read time (union branches and enum symbols the reader
    /// cannot take). Empty when the reader can read all of the writer's data.
    /// </summary>
    public static IReadOnlyList<SchemaIncompatibility> CanRead(Schema reader, Schema writer)
    {
        var resolution = SchemaResolver.Resolve(writer, reader);
        return [.. resolution.Errors, .. resolution.RuntimeErrors];
    }
}
