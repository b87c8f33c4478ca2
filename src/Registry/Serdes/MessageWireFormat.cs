namespace Streams.Registry.Serdes;

/// <summary>Which header <see cref="AvroSerializer"/> writes before the Avro body.</summary>
public enum MessageWireFormat
{
    /// <summary>Confluent's: magic byte 0 and the 4-byte schema id (<see cref="WireFormat"/>).</summary>
    Confluent,

    /// <summary>Glue's: header version 3, compression, the schema version UUID (<see cref="GlueWireFormat"/>).</summary>
    Glue,
}
