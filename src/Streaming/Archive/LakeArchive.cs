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
/// <c>&lt;lake&gt;/&lt;topic&gt;/dt=YYYY-MM-DD/hour=HH/</c> (by Kafka timestamp, UTC), one file per micro-batch and
/// hour named <c>p&lt;partition&gt;-&lt;first offset&gt;-&lt;last offset&gt;.parquet</c>. Files are written before the
/// micro-batch commits in PostgreSQL; when a partition is opened, files that start at or after its committed
/// position (written by a micro-batch that never committed) are deleted, so the replay that follows writes
/// those records again exactly once.
/// </summary>
public sealed partial class LakeArchive(ILakeStorage storage, string topic)
{
    /// <summary>The folder of the topic's archive.</summary>
    public string Folder { get; } = storage.Normalize(Join(storage.Root, topic));

    /// <summary>The file of <paramref name="partition"/>'s records <paramref name="first"/>..<paramref name="last"/> in <paramref name="hour"/>.</summary>
    public string PathOf(DateTime hour, int partition, long first, long last) =>
        Join(Folder, $"dt={hour:yyyy-MM-dd}", $"hour={hour:HH}",
            string.Create(CultureInfo.InvariantCulture, $"p{partition:D4}-{first:D19}-{last:D19}.parquet"));

    /// <summary>Writes the accepted records of one micro-batch; <paramref name="records"/> gives their Kafka timestamps. Returns the files written.</summary>
    public async Task<IReadOnlyList<string>> WriteAsync(int partition, RecordBatch accepted, IReadOnlyList<KafkaRecord> records,
        CancellationToken cancellationToken)
    {
        if (accepted.Count == 0)
        {
            return [];
        }

        var timestamps = records.ToDictionary(r => r.Offset, r => r.Timestamp);
        var written = new List<string>();
        foreach (var hour in Enumerable.Range(0, accepted.Count)
                     .GroupBy(i => Hour(timestamps[accepted.PositionOf(i)!.Value.Offset]))
                     .OrderBy(g => g.Key))
        {
            var rows = hour.ToList();
            var first = accepted.PositionOf(rows[0])!.Value.Offset;
            var last = accepted.PositionOf(rows[^1])!.Value.Offset;
            using var buffer = new MemoryStream();
            await using (var writer = new ParquetWriter(buffer, accepted.Schema, leaveOpen: true))
            {
                await writer.WriteAsync(rows.Select(i => accepted.Records[i]), cancellationToken);
                await writer.CompleteAsync(cancellationToken);
            }

            var path = PathOf(hour.Key, partition, first, last);
            await storage.WriteAsync(path, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
            written.Add(path);
        }

        return written;
    }

    /// <summary>Deletes the files of <paramref name="partition"/> that start at or after <paramref name="committed"/> (never committed); returns how many.</summary>
    public async Task<int> RemoveUncommittedAsync(int partition, long committed, CancellationToken cancellationToken)
    {
        var doomed = new List<string>();
        string? token = null;
        do
        {
            var page = await storage.ListAsync(Folder, token, cancellationToken: cancellationToken);
            foreach (var file in page.Objects)
            {
                var match = FileName().Match(file.Path);
                if (match.Success && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) == partition
                                  && long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) >= committed)
                {
                    doomed.Add(file.Path);
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        foreach (var path in doomed)
        {
            await storage.DeleteAsync(path, cancellationToken);
        }

        return doomed.Count;
    }

    private static DateTime Hour(DateTime timestamp) => new(timestamp.Year, timestamp.Month, timestamp.Day, timestamp.Hour, 0, 0, DateTimeKind.Utc);

    private static string Join(string root, params string[] parts) =>
        root.StartsWith("s3://", StringComparison.Ordinal) ? string.Join('/', [root.TrimEnd('/'), .. parts]) : Path.Combine([root, .. parts]);

    [GeneratedRegex(@"[/\\]p(\d+)-(\d+)-(\d+)\.parquet$")]
    private static partial Regex FileName();
}
