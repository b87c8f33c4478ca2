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
