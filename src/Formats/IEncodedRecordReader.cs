namespace Streams.Formats;

/// <summary>
/// A reader that can hand records over already in the Avro binary encoding of its <see cref="IRecordReader.Schema"/>,
/// for callers that only pass the bytes on (a producer with no key to take from the values).
/// </summary>
public interface IEncodedRecordReader : IRecordReader
{
    /// <summary>
    /// The next batch, or <c>null</c> at the end: every record the same <see cref="IRecordReader.ReadBatchAsync"/> would
    /// return, in order, each either encoded or (where the reader could not encode it directly) decoded. Bad data is
    /// reported as by <see cref="IRecordReader.ReadBatchAsync"/>. The batch is the reader's: it is valid until the next call.
    /// </summary>
    ValueTask<EncodedRecordBatch?> ReadEncodedBatchAsync(CancellationToken cancellationToken = default);
}
