using System.Collections.Concurrent;
using System.Globalization;
using Streams.Catalog;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Model;
using Streams.Catalog.Schemas;
using Streams.Catalog.Store;
using Streams.Formats.Model;

namespace Streams.Streaming.Archive;

/// <summary>
/// The Data Catalog table of a topic's lake archive: created when missing (the archive's columns, Parquet, partition keys
/// <c>dt</c> and <c>hour</c>, location the archive folder), and each new <c>dt=/hour=</c> folder added as a partition, so
/// the Glue API, crawlers' clients and <c>streams backfill</c> (<c>source.batch.table</c>) see the archive as it grows.
/// </summary>
public sealed class ArchiveCatalogTable
{
    /// <summary>The archive's partition keys, in folder order.</summary>
    public static readonly IReadOnlyList<string> PartitionKeys = ["dt", "hour"];

    private readonly CatalogStore _catalog;
    private readonly ConcurrentDictionary<DateTime, bool> _registered = new();

    /// <summary>The table <paramref name="database"/>.<paramref name="table"/> in <paramref name="catalog"/>.</summary>
    public ArchiveCatalogTable(CatalogStore catalog, string database, string table)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(database);
        ArgumentException.ThrowIfNullOrEmpty(table);
        _catalog = catalog;
        Database = database;
        Table = table;
    }

    /// <summary>The catalog database.</summary>
    public string Database { get; }

    /// <summary>The table name.</summary>
    public string Table { get; }

    /// <summary>
    /// The table a pipeline's archive goes to: the spec's batch table (<c>source.batch.table: db.table</c>), so its backfill
    /// reads what its stream archived; else <c>archive.&lt;topic&gt;</c> (dots and dashes as underscores).
    /// </summary>
    public static (string Database, string Table) NameFor(Pipelines.Specs.PipelineSpec spec, string topic)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Source.Batch?.Table is { } qualified && qualified.Split('.') is [var database, var table])
        {
            return (database, table);
        }

        return ("archive", new string(topic.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()));
    }

    /// <summary>Creates the database and table unless they exist; checks that an existing table is partitioned by <c>dt</c>, <c>hour</c>.</summary>
    /// <exception cref="ArchiveCatalogException">The table exists with other partition keys.</exception>
    public async Task EnsureTableAsync(string location, RecordSchema schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        try
        {
            await _catalog.CreateDatabaseAsync(new DatabaseInput { Name = Database, Description = "Lake tables, among them the speed layer's archives." }, cancellationToken);
        }
        catch (AlreadyExistsException)
        {
            // Made by a crawler, an earlier pipeline or a user.
        }

        var (inputFormat, outputFormat, serde) = FileFormats.For("parquet", new Dictionary<string, string>());
        try
        {
            await _catalog.CreateTableAsync(Database, new TableInput
            {
                Name = Table,
                Description = "The speed layer's lake archive: every record that passed the schema, by Kafka timestamp (UTC).",
                TableType = "EXTERNAL_TABLE",
                PartitionKeys = [.. PartitionKeys.Select(k => new Column { Name = k, Type = "string" })],
                StorageDescriptor = new StorageDescriptor
                {
                    Columns = [.. schema.Fields.Select(f => new Column { Name = f.Name, Type = GlueTypes.ToTypeString(f.Schema.NonNullBranch ?? f.Schema) })],
                    Location = location,
                    InputFormat = inputFormat,
                    OutputFormat = outputFormat,
                    SerdeInfo = serde,
                },
                Parameters = new Dictionary<string, string> { ["classification"] = "parquet" },
            }, cancellationToken);
        }
        catch (AlreadyExistsException)
        {
            var existing = await _catalog.GetTableAsync(Database, Table, cancellationToken);
            var keys = existing.PartitionKeys?.Select(k => k.Name).ToList() ?? [];
            if (!keys.SequenceEqual(PartitionKeys, StringComparer.Ordinal))
            {
                throw new ArchiveCatalogException(
                    $"The archive registers its partitions in catalog table {Database}.{Table}, which is partitioned by [{string.Join(", ", keys)}], not [dt, hour]. " +
                    "Point source.batch.table at a table of the archive's layout, or remove it so the archive uses archive.<topic>.");
            }
        }
    }

    /// <summary>Adds the partition of <paramref name="hour"/> at <paramref name="folder"/> unless this process or another added it.</summary>
    public async Task EnsurePartitionAsync(DateTime hour, string folder, CancellationToken cancellationToken = default)
    {
        if (_registered.ContainsKey(hour))
        {
            return;
        }

        var values = new List<string> { hour.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), hour.ToString("HH", CultureInfo.InvariantCulture) };
        try
        {
            var table = await _catalog.GetTableAsync(Database, Table, cancellationToken);
            await _catalog.CreatePartitionAsync(Database, Table, new PartitionInput
            {
                Values = values,
                StorageDescriptor = table.StorageDescriptor! with { Location = folder },
            }, cancellationToken);
        }
        catch (AlreadyExistsException)
        {
            // Another partition of the topic, or another process, got there first.
        }

        _registered[hour] = true;
    }
}
