using System.Runtime.CompilerServices;
using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Parquet.Columns;

/// <summary>
/// The shredded contents of one leaf column for a row group: definition and repetition levels (one per
/// entry) and the non-null values in a primitive array of the physical type. Byte arrays are kept as one
/// byte buffer plus offsets, fixed-length ones (and INT96) as a byte buffer of <see cref="TypeLength"/> strides.
/// </summary>
public sealed class ColumnBuffer
{
    private const int InitialCapacity = 1024;

    /// <summary>Creates an empty buffer for a column of <paramref name="type"/>.</summary>
    public ColumnBuffer(PhysicalType type, int typeLength, int maxDefinitionLevel, int maxRepetitionLevel)
    {
        Type = type;
        TypeLength = type == PhysicalType.Int96 ? 12 : typeLength;
        MaxDefinitionLevel = maxDefinitionLevel;
        MaxRepetitionLevel = maxRepetitionLevel;
        DefinitionLevels = maxDefinitionLevel > 0 ? new byte[InitialCapacity] : [];
        RepetitionLevels = maxRepetitionLevel > 0 ? new byte[InitialCapacity] : [];
        Offsets = type == PhysicalType.ByteArray ? new int[InitialCapacity + 1] : [];
    }

    public PhysicalType Type { get; }
    public int TypeLength { get; }
    public int MaxDefinitionLevel { get; }
    public int MaxRepetitionLevel { get; }

    /// <summary>Definition levels of the entries (empty when the maximum level is 0).</summary>
    public byte[] DefinitionLevels { get; private set; }

    /// <summary>Repetition levels of the entries (empty when the maximum level is 0).</summary>
    public byte[] RepetitionLevels { get; private set; }

    /// <summary>The number of entries (values and nulls/empties).</summary>
    public int LevelCount { get; private set; }

    /// <summary>The number of non-null values.</summary>
    public int ValueCount { get; private set; }

    public bool[] Booleans { get; private set; } = [];
    public int[] Int32s { get; private set; } = [];
    public long[] Int64s { get; private set; } = [];
    public float[] Floats { get; private set; } = [];
    public double[] Doubles { get; private set; } = [];

    /// <summary>Bytes of BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY and INT96 values.</summary>
    public byte[] Bytes { get; private set; } = [];

    /// <summary>The number of bytes used in <see cref="Bytes"/>.</summary>
    public int ByteCount { get; private set; }

    /// <summary>For BYTE_ARRAY, value i spans <c>Offsets[i]..Offsets[i+1]</c>.</summary>
    public int[] Offsets { get; private set; }

    /// <summary>
    /// When every value of a column chunk came from its dictionary page: the dictionary, and each value's
    /// index into it. Readers use it to convert each distinct value once.
    /// </summary>
    public ColumnBuffer? Dictionary { get; private set; }

    /// <summary>The dictionary index of each value, while <see cref="Dictionary"/> is set.</summary>
    public int[]? DictionaryIndexes { get; private set; }

    internal object?[]? DictionaryValueCache { get; set; }

    /// <summary>Records the dictionary indexes of values just appended (or forgets them once a page is not dictionary-encoded).</summary>
    internal void TrackDictionary(ColumnBuffer? dictionary, ReadOnlySpan<int> indexes, int firstValue)
    {
        if (dictionary is null || (Dictionary is not null && !ReferenceEquals(Dictionary, dictionary)) || (Dictionary is null && firstValue != 0))
        {
            Dictionary = null;
            DictionaryIndexes = null;
            return;
        }

        Dictionary = dictionary;
        if (DictionaryIndexes is null || DictionaryIndexes.Length < firstValue + indexes.Length)
        {
            var grown = new int[Math.Max(firstValue + indexes.Length, (DictionaryIndexes?.Length ?? 0) * 2)];
            DictionaryIndexes?.AsSpan(0, firstValue).CopyTo(grown);
            DictionaryIndexes = grown;
        }

        indexes.CopyTo(DictionaryIndexes.AsSpan(firstValue));
    }

    /// <summary>An estimate of the memory held, to decide when to flush a row group.</summary>
    public long EstimatedSize =>
        LevelCount * (long)((MaxDefinitionLevel > 0 ? 1 : 0) + (MaxRepetitionLevel > 0 ? 1 : 0))
        + ByteCount + ValueCount * (long)ValueWidth;

    private int ValueWidth => Type switch
    {
        PhysicalType.Boolean => 1,
        PhysicalType.Int32 or PhysicalType.Float => 4,
        PhysicalType.Int64 or PhysicalType.Double => 8,
        PhysicalType.ByteArray => 4,
        _ => 0,
    };

    /// <summary>Empties the buffer, keeping its arrays for reuse.</summary>
    public void Clear()
    {
        LevelCount = 0;
        ValueCount = 0;
        ByteCount = 0;
    }

    /// <summary>Drops entries and values past the given counts (undoing a partly shredded record).</summary>
    public void Truncate(int levelCount, int valueCount, int byteCount)
    {
        LevelCount = levelCount;
        ValueCount = valueCount;
        ByteCount = byteCount;
    }

    /// <summary>Records an entry's levels (stored only where the maximum level is above 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddLevels(int definitionLevel, int repetitionLevel)
    {
        if (MaxDefinitionLevel > 0)
        {
            if (LevelCount == DefinitionLevels.Length) DefinitionLevels = Grow(DefinitionLevels, LevelCount + 1);
            DefinitionLevels[LevelCount] = (byte)definitionLevel;
        }

        if (MaxRepetitionLevel > 0)
        {
            if (LevelCount == RepetitionLevels.Length) RepetitionLevels = Grow(RepetitionLevels, LevelCount + 1);
            RepetitionLevels[LevelCount] = (byte)repetitionLevel;
        }

        LevelCount++;
    }

    /// <summary>Makes room for <paramref name="count"/> more levels; fill them after <see cref="LevelCount"/>, then call <see cref="CommitLevels"/>.</summary>
    public void EnsureLevelCapacity(int count)
    {
        if (MaxDefinitionLevel > 0 && LevelCount + count > DefinitionLevels.Length) DefinitionLevels = Grow(DefinitionLevels, LevelCount + count);
        if (MaxRepetitionLevel > 0 && LevelCount + count > RepetitionLevels.Length) RepetitionLevels = Grow(RepetitionLevels, LevelCount + count);
    }

    /// <summary>Accepts levels written after <see cref="EnsureLevelCapacity"/>.</summary>
    public void CommitLevels(int count) => LevelCount += count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddBoolean(bool value)
    {
        if (ValueCount == Booleans.Length) Booleans = Grow(Booleans, ValueCount + 1);
        Booleans[ValueCount++] = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddInt32(int value)
    {
        if (ValueCount == Int32s.Length) Int32s = Grow(Int32s, ValueCount + 1);
        Int32s[ValueCount++] = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddInt64(long value)
    {
        if (ValueCount == Int64s.Length) Int64s = Grow(Int64s, ValueCount + 1);
        Int64s[ValueCount++] = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddFloat(float value)
    {
        if (ValueCount == Floats.Length) Floats = Grow(Floats, ValueCount + 1);
        Floats[ValueCount++] = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddDouble(double value)
    {
        if (ValueCount == Doubles.Length) Doubles = Grow(Doubles, ValueCount + 1);
        Doubles[ValueCount++] = value;
    }

    /// <summary>Appends a byte-array value (or a fixed-length one of exactly <see cref="TypeLength"/> bytes).</summary>
    public void AddBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(ReserveBytes(value.Length));
        CommitBytes(value.Length);
    }

    /// <summary>Reserves room for one value of <paramref name="length"/> bytes; then call <see cref="CommitBytes"/>.</summary>
    public Span<byte> ReserveBytes(int length)
    {
        if (ByteCount + length > Bytes.Length) Bytes = Grow(Bytes, ByteCount + length);
        return Bytes.AsSpan(ByteCount, length);
    }

    /// <summary>Accepts one value of <paramref name="length"/> bytes written into the reserved span.</summary>
    public void CommitBytes(int length)
    {
        ByteCount += length;
        if (Type == PhysicalType.ByteArray)
        {
            if (ValueCount + 2 > Offsets.Length) Offsets = Grow(Offsets, ValueCount + 2);
            Offsets[ValueCount + 1] = ByteCount;
        }

        ValueCount++;
    }

    /// <summary>Makes room for <paramref name="count"/> more values of a fixed-width physical type and returns the span of the typed array.</summary>
    public Span<T> ReserveValues<T>(int count)
    {
        var needed = ValueCount + count;
        object array = Type switch
        {
            PhysicalType.Boolean => Booleans = needed > Booleans.Length ? Grow(Booleans, needed) : Booleans,
            PhysicalType.Int32 => Int32s = needed > Int32s.Length ? Grow(Int32s, needed) : Int32s,
            PhysicalType.Int64 => Int64s = needed > Int64s.Length ? Grow(Int64s, needed) : Int64s,
            PhysicalType.Float => Floats = needed > Floats.Length ? Grow(Floats, needed) : Floats,
            PhysicalType.Double => Doubles = needed > Doubles.Length ? Grow(Doubles, needed) : Doubles,
            _ => throw new InvalidOperationException($"{Type} values are not stored in a typed array."),
        };
        return ((T[])array).AsSpan(ValueCount, count);
    }

    /// <summary>Appends values of the buffer's fixed-width physical type (bool, int, long, float or double).</summary>
    public void AddValues<T>(ReadOnlySpan<T> values)
    {
        values.CopyTo(ReserveValues<T>(values.Length));
        CommitValues(values.Length);
    }

    /// <summary>
    /// Appends entries' levels: one definition level per entry (ignored when the maximum is 0, then
    /// <paramref name="count"/> entries are added), and repetition levels when the column is repeated.
    /// </summary>
    public void AddEntries(int count, ReadOnlySpan<byte> definitionLevels = default, ReadOnlySpan<byte> repetitionLevels = default)
    {
        if ((MaxDefinitionLevel > 0 && definitionLevels.Length != count) || (MaxRepetitionLevel > 0 && repetitionLevels.Length != count))
        {
            throw new ArgumentException($"{count} entries need {count} definition levels{(MaxRepetitionLevel > 0 ? " and repetition levels" : "")}.");
        }

        EnsureLevelCapacity(count);
        if (MaxDefinitionLevel > 0) definitionLevels.CopyTo(DefinitionLevels.AsSpan(LevelCount));
        if (MaxRepetitionLevel > 0) repetitionLevels.CopyTo(RepetitionLevels.AsSpan(LevelCount));
        CommitLevels(count);
    }

    /// <summary>Accepts <paramref name="count"/> values written into the span <see cref="ReserveValues{T}"/> returned.</summary>
    public void CommitValues(int count) => ValueCount += count;

    /// <summary>Makes room for the bytes of many values at once (readers decoding a page).</summary>
    public void EnsureByteCapacity(int additionalBytes, int additionalValues)
    {
        if (ByteCount + additionalBytes > Bytes.Length) Bytes = Grow(Bytes, ByteCount + additionalBytes);
        if (Type == PhysicalType.ByteArray && ValueCount + additionalValues + 1 > Offsets.Length)
        {
            Offsets = Grow(Offsets, ValueCount + additionalValues + 1);
        }
    }

    /// <summary>The bytes of value <paramref name="index"/> (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, INT96).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> GetBytes(int index) => Type == PhysicalType.ByteArray
        ? Bytes.AsSpan(Offsets[index], Offsets[index + 1] - Offsets[index])
        : Bytes.AsSpan(index * TypeLength, TypeLength);

    private static T[] Grow<T>(T[] array, int minimum)
    {
        var size = Math.Max(Math.Max(minimum, InitialCapacity), (int)Math.Min(Array.MaxLength, array.Length * 2L));
        var grown = GC.AllocateUninitializedArray<T>(size);
        array.AsSpan().CopyTo(grown);
        return grown;
    }
}
