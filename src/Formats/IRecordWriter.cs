using Streams.Formats.Model;

namespace Streams.Formats;

/// <summary>Writes records of one schema to one file, whatever its format (see <see cref="RecordFiles"/>).</summary>
public interface IRecordWriter : IAsyncDisposable
{
    /// <summary>The schema of the records written.</summary>
    Schema Schema { get; }

    /// <summary>Writes a record; it must be a value of <see cref="Schema"/>.</summary>
    ValueTask WriteAsync(object? record, CancellationToken cancellationToken = default);
}
