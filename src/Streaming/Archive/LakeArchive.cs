using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Streams.Catalog.Storage;
using Streams.Formats.Model;
using Streams.Formats.Parquet;
using Streams.Pipelines;
using Streams.Streaming.MicroBatches;

namespace Streams.Streaming.Archive;

/// <summary>
/// The lake archive of a source topic: every record that passed the schema, as Parquet under
/// <c>&lt;lake&gt;/&lt;topic&gt;/dt=YYYY-MM-DD/hour=HH/</c> (by Kafka timestamp, UTC), in files named by partition and offset
/// range, <c>p&lt;partition&gt;-&lt;first offset&gt;-&lt;last offset&gt;.parquet</c>.
/// </summary>
/// <remarks>
/// Each micro-batch is written as a segment file before it commits in PostgreSQL. After commits, a partition's
/// segments in one hour folder are rolled into one file (<see cref="RollAsync"/>) once they reach
/// <see cref="ArchiveOptions.MaxFileBytes"/> or their oldest reaches <see cref="ArchiveOptions.MaxFileAge"/>, and when the
/// partition closes: the rolled file is written first, then its segments are deleted. So whatever crashes,
/// <see cref="RemoveUncommittedAsync"/> on the next open restores one copy of every committed record: it deletes files
/// starting at or after the committed position (their micro-batch never committed, and its replay writes them again,
/// under the same names) and files whose offset range another file of the same folder covers (a roll that stopped
/// before deleting its segments). Each new hour folder is registered as a partition in the Data Catalog, when the
/// archive has a catalog table.
/// </remarks>
public sealed partial class LakeArchive
{
    private readonly ILakeStorage _storage;
    private readonly ArchiveOptions _options;
    private readonly ArchiveCatalogTable? _catalog;
    private readonly ConcurrentDictionary<int, List<ArchiveSegment>> _segments = new();
    private readonly ConcurrentDictionary<int, List<ArchiveSegment>> _uncommitted = new();

    /// <summary>The archive of <paramref name="topic"/> in <paramref name="storage"/>; new hour folders are registered in <paramref name="catalog"/> when given.</summary>
    public LakeArchive(ILakeStorage storage, string topic, ArchiveOptions? options = null, ArchiveCatalogTable? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        _storage = storage;
        _options = options ?? new ArchiveOptions();
        _catalog = catalog;
        Folder = storage.Normalize(Join(storage.Root, topic));
    }

    /// <summary>The folder of the topic's archive.</summary>
    public string Folder { get; }

    /// <summary>The catalog table the archive's partitions are registered in, or null.</summary>
    public ArchiveCatalogTable? CatalogTable => _catalog;

    /// <summary>The file of <paramref name="partition"/>'s records <paramref name="first"/>..<paramref name="last"/> in <paramref name="hour"/>.</summary>
    public string PathOf(DateTime hour, int partition, long first, long last) =>
        Join(FolderOf(hour), string.Create(CultureInfo.InvariantCulture, $"p{partition:D4}-{first:D19}-{last:D19}.parquet"));

    /// <summary>Writes the accepted records of one micro-batch as segments, one per hour; <paramref name="records"/> gives their Kafka timestamps. Returns the files written.</summary>
    public async Task<IReadOnlyList<string>> WriteAsync(int partition, RecordBatch accepted, IReadOnlyList<KafkaRecord> records,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        if (accepted.Count == 0)
        {
            return [];
        }

        var timestamps = records.ToDictionary(r => r.Offset, r => r.Timestamp);
        var segments = _uncommitted.GetOrAdd(partition, _ => []);
        var written = new List<string>();
        foreach (var hour in Enumerable.Range(0, accepted.Count)
                     .GroupBy(i => Hour(timestamps[accepted.PositionOf(i)!.Value.Offset]))
                     .OrderBy(g => g.Key))
        {
            var rows = hour.ToList();
            var first = accepted.PositionOf(rows[0])!.Value.Offset;
            var last = accepted.PositionOf(rows[^1])!.Value.Offset;
            var path = PathOf(hour.Key, partition, first, last);
            var folder = DirectoryOf(path);
            if (_catalog is not null)
            {
                await _catalog.EnsurePartitionAsync(hour.Key, folder, cancellationToken);
            }

            var bytes = await WriteFileAsync(path, accepted.Schema, rows.Select(i => accepted.Records[i]), cancellationToken);
            segments.Add(new ArchiveSegment(path, folder, first, last, bytes, DateTimeOffset.UtcNow));
            written.Add(path);
        }

        return written;
    }

    /// <summary>
    /// Call after a micro-batch of <paramref name="partition"/> committed: its segments count as committed, and the committed
    /// segments of an hour folder that reached the size or age bound (all, with <paramref name="force"/>) are rolled into
    /// one file. Returns the files written.
    /// </summary>
    public async Task<IReadOnlyList<string>> RollAsync(int partition, bool force, CancellationToken cancellationToken)
    {
        var segments = _segments.GetOrAdd(partition, _ => []);
        if (_uncommitted.TryRemove(partition, out var committed))
        {
            segments.AddRange(committed);
        }

        if (segments.Count == 0)
        {
            return [];
        }

        var now = DateTimeOffset.UtcNow;
        var rolled = new List<string>();
        foreach (var folder in segments.GroupBy(s => s.Folder).ToList())
        {
            var group = folder.OrderBy(s => s.First).ToList();
            if (!force && group.Sum(s => s.Bytes) < _options.MaxFileBytes && now - group[0].WrittenAt < _options.MaxFileAge)
            {
                continue;
            }

            if (group.Count > 1)
            {
                rolled.Add(await MergeAsync(partition, group, cancellationToken));
            }

            segments.RemoveAll(s => s.Folder == folder.Key);
        }

        return rolled;
    }

    /// <summary>
    /// Call when <paramref name="partition"/> closes (revoked, or the process stops): segments whose micro-batch did not commit
    /// are left for the next open to delete, and the committed ones are rolled.
    /// </summary>
    public Task<IReadOnlyList<string>> CloseAsync(int partition, CancellationToken cancellationToken)
    {
        _uncommitted.TryRemove(partition, out _);
        return RollAsync(partition, force: true, cancellationToken);
    }

    /// <summary>
    /// Restores one copy of every committed record of <paramref name="partition"/>: deletes files that start at or after
    /// <paramref name="committed"/> (never committed) and files another file of their folder covers (an interrupted roll);
    /// the committed files smaller than the roll size become segments to roll. Returns how many files were deleted.
    /// </summary>
    public async Task<int> RemoveUncommittedAsync(int partition, long committed, CancellationToken cancellationToken)
    {
        var files = new List<ArchiveSegment>();
        string? token = null;
        do
        {
            var page = await _storage.ListAsync(Folder, token, cancellationToken: cancellationToken);
            foreach (var file in page.Objects)
            {
                var match = FileName().Match(file.Path);
                if (match.Success && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) == partition)
                {
                    files.Add(new ArchiveSegment(file.Path, DirectoryOf(file.Path), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
                        long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture), file.Size, file.LastModified));
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        var doomed = files.Where(f => f.First >= committed).ToList();
        var kept = files.Except(doomed).ToList();
        doomed.AddRange(kept.Where(f => kept.Any(o => o != f && o.Folder == f.Folder && o.First <= f.First && f.Last <= o.Last
                                                       && (o.First < f.First || f.Last < o.Last))));
        foreach (var file in doomed)
        {
            await _storage.DeleteAsync(file.Path, cancellationToken);
        }

        _uncommitted.TryRemove(partition, out _);
        _segments[partition] = [.. kept.Except(doomed).Where(f => f.Bytes < _options.MaxFileBytes).OrderBy(f => f.First)];
        return doomed.Count;
    }

    private async Task<string> MergeAsync(int partition, IReadOnlyList<ArchiveSegment> group, CancellationToken cancellationToken)
    {
        var records = new List<GenericRecord>();
        RecordSchema? schema = null;
        foreach (var segment in group)
        {
            await using var source = await _storage.OpenReadAsync(segment.Path, cancellationToken);
            Stream seekable = source;
            if (!source.CanSeek)
            {
                var copy = new MemoryStream();
                await source.CopyToAsync(copy, cancellationToken);
                copy.Position = 0;
                seekable = copy;
            }

            await using var reader = await ParquetReader.OpenAsync(seekable, segment.Path, leaveOpen: false, cancellationToken);
            schema ??= reader.Schema;
            await foreach (var record in reader.ReadAsync(cancellationToken: cancellationToken))
            {
                records.Add(record);
            }
        }

        var path = Join(group[0].Folder,
            string.Create(CultureInfo.InvariantCulture, $"p{partition:D4}-{group[0].First:D19}-{group[^1].Last:D19}.parquet"));
        await WriteFileAsync(path, schema!, records, cancellationToken);
        // Written before its segments go: a crash between leaves files the rolled one covers, which the next open deletes.
        foreach (var segment in group)
        {
            await _storage.DeleteAsync(segment.Path, cancellationToken);
        }

        return path;
    }

    private async Task<long> WriteFileAsync(string path, RecordSchema schema, IEnumerable<GenericRecord> records, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new ParquetWriter(buffer, schema, leaveOpen: true))
        {
            await writer.WriteAsync(records, cancellationToken);
            await writer.CompleteAsync(cancellationToken);
        }

        await _storage.WriteAsync(path, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        return buffer.Length;
    }

    private static string DirectoryOf(string path) => path[..path.LastIndexOfAny(['/', '\\'])];

    private string FolderOf(DateTime hour) => Join(Folder, $"dt={hour:yyyy-MM-dd}", $"hour={hour:HH}");

    private static DateTime Hour(DateTime timestamp) => new(timestamp.Year, timestamp.Month, timestamp.Day, timestamp.Hour, 0, 0, DateTimeKind.Utc);

    private static string Join(string root, params string[] parts) =>
        root.StartsWith("s3://", StringComparison.Ordinal) ? string.Join('/', [root.TrimEnd('/'), .. parts]) : Path.Combine([root, .. parts]);

    [GeneratedRegex(@"[/\\]dt=[^/\\]+[/\\]hour=[^/\\]+[/\\]p(\d+)-(\d+)-(\d+)\.parquet$")]
    private static partial Regex FileName();
}
