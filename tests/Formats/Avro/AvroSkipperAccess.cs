using Streams.Formats.Avro.Binary;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

internal static class AvroSkipperAccess
{
    public static void Skip(Schema schema, ref AvroReader reader) => AvroSkipper.For(schema)(ref reader);
}
