using System.Buffers.Binary;
using System.Text;

namespace Streams.Formats.Parquet.Thrift;

/// <summary>
/// Decodes the Thrift compact protocol (thrift/doc/specs/thrift-compact-protocol.md) from a span:
/// zigzag varints, delta-encoded field ids, and type-directed skipping of fields a reader does not know.
/// </summary>
public ref struct ThriftCompactReader
{
    private const int MaxDepth = 64;
    private readonly ReadOnlySpan<byte> _buffer;
    private short _lastFieldId;
    private int _depth;
    private bool _pendingBool;
    private Span<short> _fieldIdStack;

    /// <summary>Creates a reader over <paramref name="buffer"/>; <paramref name="fieldIdStack"/> needs room for the nesting depth.</summary>
    public ThriftCompactReader(ReadOnlySpan<byte> buffer, Span<short> fieldIdStack)
    {
        _buffer = buffer;
        _fieldIdStack = fieldIdStack;
        Position = 0;
    }

    /// <summary>The number of bytes consumed so far.</summary>
    public int Position { get; private set; }

    /// <summary>The stack size a reader needs for any metadata this project decodes.</summary>
    public static int StackSize => MaxDepth;

    /// <summary>Enters a struct: field ids inside are deltas from zero again.</summary>
    public void BeginStruct()
    {
        if (_depth >= _fieldIdStack.Length)
        {
            throw new ThriftException("Thrift structs are nested too deeply.", Position);
        }

        _fieldIdStack[_depth++] = _lastFieldId;
        _lastFieldId = 0;
    }

    /// <summary>Leaves a struct after its stop field was read.</summary>
    public void EndStruct() => _lastFieldId = _fieldIdStack[--_depth];

    /// <summary>Reads a field header; returns false at the struct's stop field.</summary>
    public bool ReadFieldHeader(out short fieldId, out ThriftCompactType type)
    {
        var header = ReadByte();
        type = (ThriftCompactType)(header & 0x0F);
        if (type == ThriftCompactType.Stop)
        {
            fieldId = 0;
            return false;
        }

        var delta = header >> 4;
        fieldId = delta == 0 ? (short)ZigZag32(ReadVarint32()) : (short)(_lastFieldId + delta);
        _lastFieldId = fieldId;
        if (type is ThriftCompactType.BooleanTrue or ThriftCompactType.BooleanFalse)
        {
            _pendingBool = type == ThriftCompactType.BooleanTrue;
        }

        return true;
    }

    /// <summary>Reads the value of the boolean field whose header was just read (it is carried in the header).</summary>
    public readonly bool ReadBool() => _pendingBool;

    /// <summary>Reads a boolean list element (one byte).</summary>
    public bool ReadBoolElement() => ReadByte() == (byte)ThriftCompactType.BooleanTrue;

    /// <summary>Reads a signed byte.</summary>
    public sbyte ReadI8() => (sbyte)ReadByte();

    /// <summary>Reads a zigzag varint of up to 32 bits (i16 and i32).</summary>
    public int ReadI32() => ZigZag32(ReadVarint32());

    /// <summary>Reads a zigzag varint of up to 64 bits.</summary>
    public long ReadI64()
    {
        var v = ReadVarint64();
        return (long)(v >> 1) ^ -(long)(v & 1);
    }

    /// <summary>Reads a little-endian IEEE double.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Reads a length-prefixed binary value.</summary>
    public ReadOnlySpan<byte> ReadBinary()
    {
        var length = (int)ReadVarint32();
        if (length < 0)
        {
            throw new ThriftException($"Negative binary length {length}.", Position);
        }

        return Take(length);
    }

    /// <summary>Reads a length-prefixed UTF-8 string.</summary>
    public string ReadString() => Encoding.UTF8.GetString(ReadBinary());

    /// <summary>Reads a list or set header.</summary>
    public int ReadListHeader(out ThriftCompactType elementType)
    {
        var header = ReadByte();
        elementType = (ThriftCompactType)(header & 0x0F);
        var size = header >> 4;
        if (size == 15)
        {
            size = (int)ReadVarint32();
        }

        if (size < 0 || size > _buffer.Length - Position)
        {
            throw new ThriftException($"List size {size} exceeds the remaining {_buffer.Length - Position} bytes.", Position);
        }

        return size;
    }

    /// <summary>Skips a value of <paramref name="type"/>, including nested structs and collections.</summary>
    public void Skip(ThriftCompactType type)
    {
        switch (type)
        {
            case ThriftCompactType.BooleanTrue or ThriftCompactType.BooleanFalse:
                return; // carried in the field header
            case ThriftCompactType.Byte:
                Take(1);
                return;
            case ThriftCompactType.I16 or ThriftCompactType.I32 or ThriftCompactType.I64:
                ReadVarint64();
                return;
            case ThriftCompactType.Double:
                Take(8);
                return;
            case ThriftCompactType.Binary:
                ReadBinary();
                return;
            case ThriftCompactType.List or ThriftCompactType.Set:
            {
                var count = ReadListHeader(out var elementType);
                for (var i = 0; i < count; i++)
                {
                    SkipElement(elementType);
                }

                return;
            }
            case ThriftCompactType.Map:
            {
                var count = (int)ReadVarint32();
                if (count == 0)
                {
                    return;
                }

                var kinds = ReadByte();
                for (var i = 0; i < count; i++)
                {
                    SkipElement((ThriftCompactType)(kinds >> 4));
                    SkipElement((ThriftCompactType)(kinds & 0x0F));
                }

                return;
            }
            case ThriftCompactType.Struct:
                BeginStruct();
                while (ReadFieldHeader(out _, out var fieldType))
                {
                    Skip(fieldType);
                }

                EndStruct();
                return;
            default:
                throw new ThriftException($"Unknown Thrift compact type {(int)type}.", Position);
        }
    }

    private void SkipElement(ThriftCompactType type)
    {
        // Inside collections booleans take a byte each.
        if (type is ThriftCompactType.BooleanTrue or ThriftCompactType.BooleanFalse)
        {
            Take(1);
        }
        else
        {
            Skip(type);
        }
    }

    private byte ReadByte()
    {
        if (Position >= _buffer.Length)
        {
            throw new ThriftException("Unexpected end of Thrift data.", Position);
        }

        return _buffer[Position++];
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length > _buffer.Length - Position)
        {
            throw new ThriftException(
                $"Unexpected end of Thrift data: {length} bytes needed, {_buffer.Length - Position} left.", Position);
        }

        var span = _buffer.Slice(Position, length);
        Position += length;
        return span;
    }

    private uint ReadVarint32()
    {
        var v = ReadVarint64();
        return v <= uint.MaxValue ? (uint)v : throw new ThriftException("Varint exceeds 32 bits.", Position);
    }

    private ulong ReadVarint64()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new ThriftException("Varint is longer than 10 bytes.", Position);
    }

    private static int ZigZag32(uint v) => (int)(v >> 1) ^ -(int)(v & 1);
}
