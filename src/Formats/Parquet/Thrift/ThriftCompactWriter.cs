using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Streams.Formats.Parquet.Thrift;

/// <summary>
/// Encodes the Thrift compact protocol into an <see cref="IBufferWriter{T}"/>. Callers write fields in
/// ascending id order inside <see cref="BeginStruct"/>/<see cref="EndStruct"/> pairs.
/// </summary>
public sealed class ThriftCompactWriter(IBufferWriter<byte> output)
{
    private readonly Stack<short> _fieldIds = new();
    private short _lastFieldId;

    /// <summary>Starts a struct (the top-level one, a list element, or after <see cref="WriteFieldHeader"/>).</summary>
    public void BeginStruct()
    {
        _fieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    /// <summary>Writes the stop field and leaves the struct.</summary>
    public void EndStruct()
    {
        WriteByte(0);
        _lastFieldId = _fieldIds.Pop();
    }

    /// <summary>Writes a field header for a field of <paramref name="type"/>.</summary>
    public void WriteFieldHeader(short fieldId, ThriftCompactType type)
    {
        var delta = fieldId - _lastFieldId;
        if (delta is > 0 and <= 15)
        {
            WriteByte((byte)((delta << 4) | (byte)type));
        }
        else
        {
            WriteByte((byte)type);
            WriteVarint(ZigZag(fieldId));
        }

        _lastFieldId = fieldId;
    }

    /// <summary>Writes a boolean field (the value goes in the header).</summary>
    public void WriteBoolField(short fieldId, bool value) =>
        WriteFieldHeader(fieldId, value ? ThriftCompactType.BooleanTrue : ThriftCompactType.BooleanFalse);

    /// <summary>Writes an i32 field.</summary>
    public void WriteI32Field(short fieldId, int value)
    {
        WriteFieldHeader(fieldId, ThriftCompactType.I32);
        WriteI32(value);
    }

    /// <summary>Writes a byte field.</summary>
    public void WriteI8Field(short fieldId, sbyte value)
    {
        WriteFieldHeader(fieldId, ThriftCompactType.Byte);
        WriteByte((byte)value);
    }

    /// <summary>Writes an i64 field.</summary>
    public void WriteI64Field(short fieldId, long value)
    {
        WriteFieldHeader(fieldId, ThriftCompactType.I64);
        WriteI64(value);
    }

    /// <summary>Writes a binary field.</summary>
    public void WriteBinaryField(short fieldId, ReadOnlySpan<byte> value)
    {
        WriteFieldHeader(fieldId, ThriftCompactType.Binary);
        WriteBinary(value);
    }

    /// <summary>Writes a string field as UTF-8.</summary>
    public void WriteStringField(short fieldId, string value)
    {
        WriteFieldHeader(fieldId, ThriftCompactType.Binary);
        WriteString(value);
    }

    /// <summary>Writes the header of a struct field; follow with the struct's fields and <see cref="EndStruct"/>.</summary>
    public void BeginStructField(short fieldId)
    {
        WriteFieldHeader(fieldId, ThriftCompactType.Struct);
        BeginStruct();
    }

    /// <summary>Writes the header of a list field; follow with <paramref name="count"/> elements.</summary>
    public void WriteListField(short fieldId, ThriftCompactType elementType, int count)
    {
        WriteFieldHeader(fieldId, ThriftCompactType.List);
        if (count < 15)
        {
            WriteByte((byte)((count << 4) | (byte)elementType));
        }
        else
        {
            WriteByte((byte)(0xF0 | (byte)elementType));
            WriteVarint((uint)count);
        }
    }

    /// <summary>Writes an i32 (list element or after a header).</summary>
    public void WriteI32(int value) => WriteVarint(ZigZag(value));

    /// <summary>Writes an i64 (list element or after a header).</summary>
    public void WriteI64(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Writes a length-prefixed binary value.</summary>
    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteVarint((uint)value.Length);
        output.Write(value);
    }

    /// <summary>Writes a UTF-8 string.</summary>
    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length);
        var span = output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        output.Advance(length);
    }

    /// <summary>Writes a little-endian double.</summary>
    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private void WriteVarint(ulong value)
    {
        var span = output.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        output.Advance(i);
    }

    private static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));
}
