using Streams.Catalog.Storage;
using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Streaming.Archive;
using Streams.Streaming.MicroBatches;

namespace Streams.Streaming.Tests.Archive;

public sealed class LakeArchiveTests : IDisposable
{
    private static readonly RecordSchema Schema = new(new SchemaName("Event", null),
        [new Field("id", PrimitiveSchema.Long)]);

    private readonly DirectoryInfo _lake = Directory.CreateTempSubdirectory("streams-archive-");

    public void Dispose() => _lake.Delete(recursive: true);

    [Fact]
    public async Task Files_go_by_hour_named_by_partition_and_offsets_and_uncommitted_ones_are_removed()
    {
        var archive = new LakeArchive(new LocalLakeStorage(_lake.FullName), "events");
        var start = new DateTime(2026, 3, 1, 9, 59, 0, DateTimeKind.Utc);
        // Offsets 0..3 straddle 10:00; partition 1's batch is committed, partition 2's is not.
        var written = await WriteAsync(archive, 1, 0, 4, start);
        written.Select(p => Path.GetRelativePath(_lake.FullName, p)).Should().Equal(
            Path.Combine("events", "dt=2026-03-01", "hour=09", "p0001-0000000000000000000-0000000000000000001.parquet"),
            Path.Combine("events", "dt=2026-03-01", "hour=10", "p0001-0000000000000000002-0000000000000000003.parquet"));
        await WriteAsync(archive, 1, 4, 2, start.AddHours(1));
        await WriteAsync(archive, 2, 7, 2, start);

        (await archive.RemoveUncommittedAsync(1, committed: 4, CancellationToken.None)).Should().Be(1, "the batch from offset 4 never committed");
        (await archive.RemoveUncommittedAsync(2, committed: 7, CancellationToken.None)).Should().Be(1);
        Directory.EnumerateFiles(_lake.FullName, "*.parquet", SearchOption.AllDirectories).Select(Path.GetFileName).Order()
            .Should().Equal("p0001-0000000000000000000-0000000000000000001.parquet", "p0001-0000000000000000002-0000000000000000003.parquet");
    }

    [Fact]
    public async Task Committed_segments_of_an_hour_roll_into_one_file_on_close_and_uncommitted_ones_stay_out()
    {
        var archive = new LakeArchive(new LocalLakeStorage(_lake.FullName), "events", new ArchiveOptions { MaxFileAge = TimeSpan.FromHours(1) });
        var start = new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
        for (var batch = 0; batch < 3; batch++)
        {
            await WriteAsync(archive, 1, batch * 3, 3, start.AddMinutes(batch));
            (await archive.RollAsync(1, force: false, CancellationToken.None)).Should().BeEmpty("neither bound is reached");
        }

        // The fourth micro-batch's commit fails: its segment is not committed, so it must not join the roll.
        await WriteAsync(archive, 1, 9, 3, start.AddMinutes(3));
        (await archive.CloseAsync(1, CancellationToken.None)).Select(Path.GetFileName)
            .Should().Equal("p0001-0000000000000000000-0000000000000000008.parquet");
        (await IdsAsync("p0001-0000000000000000000-0000000000000000008.parquet")).Should().Equal(Enumerable.Range(0, 9).Select(i => (long)i));
        Files().Should().Equal("p0001-0000000000000000000-0000000000000000008.parquet", "p0001-0000000000000000009-0000000000000000011.parquet");

        (await archive.RemoveUncommittedAsync(1, committed: 9, CancellationToken.None)).Should().Be(1);
        Files().Should().Equal("p0001-0000000000000000000-0000000000000000008.parquet");
    }

    [Fact]
    public async Task The_size_bound_rolls_after_a_commit_and_an_interrupted_roll_leaves_one_copy_after_the_next_open()
    {
        var storage = new LocalLakeStorage(_lake.FullName);
        var archive = new LakeArchive(storage, "events", new ArchiveOptions { MaxFileBytes = 1 });
        var start = new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
        await WriteAsync(archive, 1, 0, 3, start);
        (await archive.RollAsync(1, force: false, CancellationToken.None)).Should().BeEmpty("one segment is a file already");

        // A roll that wrote its file (0..5) and stopped before deleting its segments (0..2, 3..5), then an uncommitted batch.
        var other = new LakeArchive(storage, "events", new ArchiveOptions { MaxFileBytes = 1 });
        await WriteAsync(other, 1, 3, 3, start);
        await WriteAsync(new LakeArchive(storage, "events"), 1, 0, 6, start);
        await WriteAsync(other, 1, 6, 3, start);
        Files().Should().HaveCount(4);

        (await new LakeArchive(storage, "events").RemoveUncommittedAsync(1, committed: 6, CancellationToken.None)).Should().Be(3);
        Files().Should().Equal("p0001-0000000000000000000-0000000000000000005.parquet");
        (await IdsAsync("p0001-0000000000000000000-0000000000000000005.parquet")).Should().Equal(Enumerable.Range(0, 6).Select(i => (long)i));
    }

    private List<string> Files() =>
        [.. Directory.EnumerateFiles(_lake.FullName, "*.parquet", SearchOption.AllDirectories).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal)];

    private async Task<List<long>> IdsAsync(string file)
    {
        var path = Directory.EnumerateFiles(_lake.FullName, file, SearchOption.AllDirectories).Single();
        await using var reader = await Streams.Formats.Parquet.ParquetReader.OpenAsync(path);
        var ids = new List<long>();
        await foreach (var record in reader.ReadAsync())
        {
            ids.Add((long)record["id"]!);
        }

        return ids;
    }

    private static Task<IReadOnlyList<string>> WriteAsync(LakeArchive archive, int partition, long first, int count, DateTime start)
    {
        var builder = RecordBatch.CreateBuilder(Schema, count);
        var records = new List<KafkaRecord>();
        for (var i = 0; i < count; i++)
        {
            var offset = first + i;
            builder.Add(new GenericRecord(Schema, [offset]), new SourcePosition("events", partition, offset));
            records.Add(new KafkaRecord("events", partition, offset, start.AddSeconds(30 * i), null, [1]));
        }

        return archive.WriteAsync(partition, builder.Build(), records, CancellationToken.None);
    }
}
