namespace Streams.Formats.Model;

/// <summary>The kinds of schema in the shared type system, which mirrors Avro's.</summary>
public enum SchemaType
{
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Record,
    Enum,
    Array,
    Map,
    Union,
    Fixed,
}
