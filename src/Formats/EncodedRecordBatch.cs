namespace Streams.Formats;

/// <summary>
/// A batch of records from an <see cref="IEncodedRecordReader"/>: each record either as its Avro binary datum (in one
/// buffer, back to back) or as the decoded value <see cref="IRecordReader.ReadBatchAsync"/> returns for it.
/// </summary>
public sealed class EncodedRecordBatch : IDisposable
{
    private readonly List<Entry> _entries = new(1024);

    /// <summary>The number of records.</summary>
    public int Count => _entries.Count;

    /// <summary>The encoded records, back to back; written by the reader.</summary>
    internal ByteBuffer Bytes { get; } = new(64 * 1024);

    /// <summary>True when record <paramref name="index"/> is encoded (<see cref="Encoded"/>), false when decoded (<see cref="Decoded"/>).</summary>
    public bool IsEncoded(int index) => _entries[index].Length >= 0;

    /// <summary>The Avro binary datum of record <paramref name="index"/>.</summary>
    /// <exception cref="InvalidOperationException">The record is not encoded.</exception>
    public ReadOnlySpan<byte> Encoded(int index)
    {
        var entry = _entries[index];
        return entry.Length >= 0
            ? Bytes.WrittenSpan.Slice(entry.Start, entry.Length)
            : throw new InvalidOperationException($"Record {index} of the batch is decoded, not encoded.");
    }

    /// <summary>The value of record <paramref name="index"/>, as <see cref="IRecordReader.ReadBatchAsync"/> returns it.</summary>
    /// <exception cref="InvalidOperationException">The record is encoded.</exception>
    public object? Decoded(int index)
    {
        var entry = _entries[index];
        return entry.Length < 0 ? entry.Value : throw new InvalidOperationException($"Record {index} of the batch is encoded, not decoded.");
    }

    /// <summary>Adds the record written to <see cref="Bytes"/> from <paramref name="start"/> on.</summary>
    internal void AddEncoded(int start) => _entries.Add(new Entry(start, Bytes.Length - start, null));

    /// <summary>Adds a decoded record.</summary>
    internal void AddDecoded(object? value) => _entries.Add(new Entry(0, -1, value));

    /// <summary>Forgets the records, keeping the storage.</summary>
    internal void Clear()
    {
        _entries.Clear();
        Bytes.Clear();
    }

    /// <inheritdoc />
    public void Dispose() => Bytes.Dispose();

    private readonly record struct Entry(int Start, int Length, object? Value);
}
