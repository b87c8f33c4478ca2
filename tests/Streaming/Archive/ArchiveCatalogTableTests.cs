using Npgsql;
using Streams.Catalog.Model;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Streaming.Archive;
using Streams.Streaming.MicroBatches;
using Streams.Testing;

namespace Streams.Streaming.Tests.Archive;

/// <summary>The archive's catalog table: made when missing, each new hour folder a partition at its location, once.</summary>
public sealed class ArchiveCatalogTableTests : IAsyncLifetime
{
    private static readonly RecordSchema Schema = new(new SchemaName("Event", null), [new Field("id", PrimitiveSchema.Long)]);

    private readonly DirectoryInfo _lake = Directory.CreateTempSubdirectory("streams-archive-catalog-");
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private CatalogStore _catalog = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        _catalog = new CatalogStore(_dataSource, new SecretProtector(null));
        await _catalog.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
        _lake.Delete(recursive: true);
    }

    [Fact]
    public async Task Each_new_hour_folder_becomes_a_partition_of_the_archive_table()
    {
        var table = new ArchiveCatalogTable(_catalog, "archive", "events");
        var archive = new LakeArchive(new LocalLakeStorage(_lake.FullName), "events", catalog: table);
        await table.EnsureTableAsync(archive.Folder, Schema);
        await table.EnsureTableAsync(archive.Folder, Schema);
        var start = new DateTime(2026, 3, 1, 9, 58, 0, DateTimeKind.Utc);
        await WriteAsync(archive, 0, 0, 6, start);
        await WriteAsync(archive, 1, 0, 2, start);
        // Another process of the pipeline registers the same hour: no error.
        await WriteAsync(new LakeArchive(new LocalLakeStorage(_lake.FullName), "events", catalog: new ArchiveCatalogTable(_catalog, "archive", "events")), 2, 0, 2, start);

        var created = await _catalog.GetTableAsync("archive", "events");
        created.PartitionKeys!.Select(k => k.Name).Should().Equal("dt", "hour");
        created.StorageDescriptor!.Location.Should().Be(archive.Folder);
        created.StorageDescriptor.Columns!.Select(c => $"{c.Name}:{c.Type}").Should().Equal("id:bigint");
        var partitions = await _catalog.GetAllPartitionsAsync("archive", "events");
        partitions.Select(p => string.Join("/", p.Values!)).Order().Should().Equal("2026-03-01/09", "2026-03-01/10");
        partitions.Should().OnlyContain(p => Directory.Exists(p.StorageDescriptor!.Location!)
                                             && p.StorageDescriptor.Location!.EndsWith($"dt={p.Values![0]}/hour={p.Values[1]}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_table_partitioned_otherwise_is_refused_with_the_fix()
    {
        await _catalog.CreateDatabaseAsync(new DatabaseInput { Name = "lake" });
        await _catalog.CreateTableAsync("lake", new TableInput
        {
            Name = "orders",
            PartitionKeys = [new Column { Name = "dt", Type = "string" }],
            StorageDescriptor = new StorageDescriptor { Columns = [new Column { Name = "id", Type = "bigint" }], Location = _lake.FullName },
        });

        var refused = await FluentActions.Awaiting(() => new ArchiveCatalogTable(_catalog, "lake", "orders").EnsureTableAsync(_lake.FullName, Schema))
            .Should().ThrowAsync<ArchiveCatalogException>();
        refused.Which.Message.Should().Contain("lake.orders").And.Contain("[dt]").And.Contain("source.batch.table");
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
