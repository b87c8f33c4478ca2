namespace Streams.Formats.Model;

/// <summary>
/// Where a row came from, or how far a reader has got: a Kafka topic/partition/offset, or a file and a
/// row (bookmark) with <see cref="Partition"/> = <see cref="FilePartition"/>.
/// </summary>
/// <param name="Source">A Kafka topic or a file path.</param>
/// <param name="Partition">The Kafka partition, or <see cref="FilePartition"/> for a file.</param>
/// <param name="Offset">The Kafka offset, or the row number (0-based) in the file.</param>
public readonly record struct SourcePosition(string Source, int Partition, long Offset)
{
    /// <summary>The partition number used for file sources.</summary>
    public const int FilePartition = -1;

    /// <summary>A position in a file: the path and the 0-based row.</summary>
    public static SourcePosition InFile(string path, long row) => new(path, FilePartition, row);

    /// <inheritdoc />
    public override string ToString() =>
        Partition == FilePartition ? $"{Source} row {Offset}" : $"{Source}[{Partition}]@{Offset}";
}
