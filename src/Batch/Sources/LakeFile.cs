using Streams.Catalog.Storage;
using Streams.Formats;

namespace Streams.Batch.Sources;

/// <summary>One data file of a backfill's source.</summary>
/// <param name="Object">The file in the lake: location, size, entity tag, modification time.</param>
/// <param name="PartitionValues">Its partition values, in the order of the source's partition keys.</param>
/// <param name="Format">The format it is read with, or null when neither the source nor its extension names one.</param>
public sealed record LakeFile(LakeObject Object, IReadOnlyList<string> PartitionValues, RecordFileFormat? Format)
{
    /// <summary>The file's location.</summary>
    public string Path => Object.Path;
}
