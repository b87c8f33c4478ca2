using Streams.Formats.Model;

namespace Streams.Formats;

/// <summary>Reads the records of one file, batch by batch, whatever its format (see <see cref="RecordFiles"/>).</summary>
public interface IRecordReader : IAsyncDisposable
{
    /// <summary>The schema of the records returned.</summary>
    Schema Schema { get; }

    /// <summary>
    /// The next batch of records (for Avro, one block), or <c>null</c> at the end. Bad data throws a
    /// <see cref="RecordFileException"/> only after every good record before it was returned.
    /// </summary>
    ValueTask<IReadOnlyList<object?>?> ReadBatchAsync(CancellationToken cancellationToken = default);

    /// <summary>What the reader noticed while opening the file and read past (see <see cref="RecordFileWarning"/>).</summary>
    IReadOnlyList<RecordFileWarning> Warnings => [];
}
