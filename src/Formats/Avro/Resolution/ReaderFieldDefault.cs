using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>A reader field missing from the writer, filled from its default.</summary>
public sealed class ReaderFieldDefault
{
    internal ReaderFieldDefault(Field readerField, object? value)
    {
        ReaderField = readerField;
        Value = value;
    }

    /// <summary>The reader's field; <see cref="Field.Position"/> is where the value goes.</summary>
    public Field ReaderField { get; }

    /// <summary>
    /// The default as a model value. Lists, maps, records and byte arrays are mutable: a decoder that hands values
    /// to callers should use <see cref="CreateValue"/> for those, so that records never share them.
    /// </summary>
    public object? Value { get; }

    /// <summary>True when <see cref="Value"/> is immutable and may be shared between records.</summary>
    public bool IsShareable => Value is null or string or bool or int or long or float or double or Guid or DateOnly
        or TimeOnly or DateTime or DecimalValue or DurationValue;

    /// <summary>A fresh copy of the default (the value itself when it is immutable).</summary>
    public object? CreateValue() => IsShareable ? Value : Copy(Value);

    // Copies the decoded default rather than decoding its JSON again: faster, and a JsonNode is not safe to read
    // from several threads, which decoders sharing one resolution would do.
    private static object? Copy(object? value) => value switch
    {
        byte[] bytes => bytes.Clone(),
        GenericRecord record => new GenericRecord(record.Schema, record.Values.ToArray().Select(Copy).ToArray()),
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(e => e.Key, e => Copy(e.Value), StringComparer.Ordinal),
        IReadOnlyList<object?> list => list.Select(Copy).ToList(),
        _ => value,
    };
}
