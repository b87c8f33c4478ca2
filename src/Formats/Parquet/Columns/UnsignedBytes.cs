namespace Streams.Formats.Parquet.Columns;

/// <summary>A byte string compared as unsigned bytes, lexicographically (the Parquet order of strings and UUIDs).</summary>
internal readonly record struct UnsignedBytes(byte[] Value) : IComparable
{
    public int CompareTo(object? obj) => obj is UnsignedBytes other ? Value.AsSpan().SequenceCompareTo(other.Value) : 1;
}
