namespace Streams.Formats.Avro.Resolution;

/// <summary>The promotions of the specification's "Schema Resolution".</summary>
public enum Promotion
{
    /// <summary>Same type: no conversion.</summary>
    None,
    IntToLong,
    IntToFloat,
    IntToDouble,
    LongToFloat,
    LongToDouble,
    FloatToDouble,

    /// <summary>The string's UTF-8 bytes.</summary>
    StringToBytes,

    /// <summary>The bytes decoded as UTF-8 (invalid UTF-8 is an error).</summary>
    BytesToString,
}
