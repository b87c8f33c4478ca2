using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

internal static class AvroSchemaWriterAccess
{
    public static string Json(Schema schema) => Streams.Formats.Avro.Schemas.AvroSchemaWriter.ToJson(schema);
}
