using Streams.Batch.Sources;

namespace Streams.Batch.Reading;

/// <summary>
/// A unit of reading that one reader does on its own: a whole file, or a range of a Parquet file's row
/// groups (a large file is read by several readers).
/// </summary>
/// <param name="File">The file.</param>
/// <param name="FirstRowGroup">The first row group of a Parquet range, or null for the whole file.</param>
/// <param name="RowGroupCount">The number of row groups of the range (0 for a whole file).</param>
/// <param name="Bytes">The bytes the split covers, for progress.</param>
public sealed record FileSplit(LakeFile File, int? FirstRowGroup, int RowGroupCount, long Bytes)
{
    /// <summary>A stable name of the split: the path, and the row-group range of a partial split.</summary>
    public string Id => FirstRowGroup is { } first ? $"{File.Path}#rg{first}-{first + RowGroupCount - 1}" : File.Path;

    /// <inheritdoc />
    public override string ToString() => Id;
}
