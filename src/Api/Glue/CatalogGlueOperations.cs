using Streams.Catalog;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Model;
using Streams.Catalog.Store;

namespace Streams.Api.Glue;

/// <summary>
/// The Data Catalog's Glue operations (databases, tables, partitions, crawlers, connections, classifiers), with
/// request and response shapes as in the AWS Glue API reference.
/// </summary>
public sealed class CatalogGlueOperations(CatalogStore store, CrawlerService crawlers) : IGlueOperationSet
{
    private const int MaxPage = 100;
    private const int MaxPartitionPage = 1000;
    private static readonly object Empty = new();

    /// <inheritdoc />
    public IReadOnlyDictionary<string, GlueOperation> Operations => _operations ??= new Dictionary<string, GlueOperation>
    {
        ["CreateDatabase"] = async (r, ct) => { await store.CreateDatabaseAsync(r.Get<DatabaseInput>("DatabaseInput"), ct); return Empty; },
        ["GetDatabase"] = async (r, ct) => new { Database = await store.GetDatabaseAsync(r.String("Name"), ct) },
        ["GetDatabases"] = async (r, ct) =>
        {
            var page = await store.GetDatabasesAsync(r.Offset(), r.MaxResults(MaxPage), ct);
            return new { DatabaseList = page.Items, NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["UpdateDatabase"] = async (r, ct) => { await store.UpdateDatabaseAsync(r.String("Name"), r.Get<DatabaseInput>("DatabaseInput"), ct); return Empty; },
        ["DeleteDatabase"] = async (r, ct) => { await store.DeleteDatabaseAsync(r.String("Name"), ct); return Empty; },
        ["CreateTable"] = async (r, ct) => { await store.CreateTableAsync(r.String("DatabaseName"), r.Get<TableInput>("TableInput"), ct); return Empty; },
        ["GetTable"] = async (r, ct) => new { Table = await store.GetTableAsync(r.String("DatabaseName"), r.String("Name"), ct) },
        ["GetTables"] = async (r, ct) =>
        {
            var page = await store.GetTablesAsync(r.String("DatabaseName"), r.OptionalString("Expression"), r.Offset(), r.MaxResults(MaxPage), ct);
            return new { TableList = page.Items, NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["UpdateTable"] = async (r, ct) =>
        {
            await store.UpdateTableAsync(r.String("DatabaseName"), r.Get<TableInput>("TableInput"), r.Bool("SkipArchive"), ct);
            return Empty;
        },
        ["DeleteTable"] = async (r, ct) => { await store.DeleteTableAsync(r.String("DatabaseName"), r.String("Name"), ct); return Empty; },
        ["GetTableVersions"] = async (r, ct) =>
        {
            var page = await store.GetTableVersionsAsync(r.String("DatabaseName"), r.String("TableName"), r.Offset(), r.MaxResults(MaxPage), ct);
            return new { TableVersions = page.Items, NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["CreatePartition"] = async (r, ct) =>
        {
            await store.CreatePartitionAsync(r.String("DatabaseName"), r.String("TableName"), r.Get<PartitionInput>("PartitionInput"), ct);
            return Empty;
        },
        ["BatchCreatePartition"] = async (r, ct) =>
        {
            var errors = await store.BatchCreatePartitionAsync(r.String("DatabaseName"), r.String("TableName"),
                r.Get<List<PartitionInput>>("PartitionInputList"), ct);
            return new
            {
                Errors = errors.Select(e => new
                {
                    PartitionValues = e.Values,
                    ErrorDetail = new { e.Error.ErrorCode, ErrorMessage = e.Error.Message },
                }).ToList(),
            };
        },
        ["GetPartition"] = async (r, ct) => new
        {
            Partition = await store.GetPartitionAsync(r.String("DatabaseName"), r.String("TableName"), r.Get<List<string>>("PartitionValues"), ct),
        },
        ["GetPartitions"] = async (r, ct) =>
        {
            var page = await store.GetPartitionsAsync(r.String("DatabaseName"), r.String("TableName"), r.OptionalString("Expression"),
                r.Offset(), r.MaxResults(MaxPartitionPage), r.Segment(), ct);
            return new { Partitions = page.Items, NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["BatchGetPartition"] = async (r, ct) =>
        {
            var keys = r.Get<List<PartitionValueList>>("PartitionsToGet");
            var (found, missing) = await store.BatchGetPartitionAsync(r.String("DatabaseName"), r.String("TableName"),
                keys.Select(k => k.Values ?? []).ToList(), ct);
            return new { Partitions = found, UnprocessedKeys = missing.Select(v => new PartitionValueList(v)).ToList() };
        },
        ["DeletePartition"] = async (r, ct) =>
        {
            await store.DeletePartitionAsync(r.String("DatabaseName"), r.String("TableName"), r.Get<List<string>>("PartitionValues"), ct);
            return Empty;
        },
        ["CreateCrawler"] = async (r, ct) => { await store.CreateCrawlerAsync(CheckedCrawlerInput(r), ct); return Empty; },
        ["GetCrawler"] = async (r, ct) => new { Crawler = await store.GetCrawlerAsync(r.String("Name"), ct) },
        ["GetCrawlers"] = async (r, ct) =>
        {
            var page = await store.GetCrawlersAsync(r.Offset(), r.MaxResults(MaxPage), ct);
            return new { Crawlers = page.Items, NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["UpdateCrawler"] = async (r, ct) => { await store.UpdateCrawlerAsync(CheckedCrawlerInput(r), ct); return Empty; },
        ["DeleteCrawler"] = async (r, ct) => { await store.DeleteCrawlerAsync(r.String("Name"), ct); return Empty; },
        ["StartCrawler"] = async (r, ct) => { await crawlers.StartAsync(r.String("Name"), ct); return Empty; },
        ["StopCrawler"] = async (r, ct) => { await crawlers.StopAsync(r.String("Name"), ct); return Empty; },
        ["StartCrawlerSchedule"] = async (r, ct) =>
        {
            await store.SetCrawlerScheduleAsync(r.String("CrawlerName"), null, CatalogStore.Scheduled, ct);
            return Empty;
        },
        ["StopCrawlerSchedule"] = async (r, ct) =>
        {
            await store.SetCrawlerScheduleAsync(r.String("CrawlerName"), null, CatalogStore.NotScheduled, ct);
            return Empty;
        },
        ["UpdateCrawlerSchedule"] = async (r, ct) =>
        {
            await store.SetCrawlerScheduleAsync(r.String("CrawlerName"), r.String("Schedule"), null, ct);
            return Empty;
        },
        ["ListCrawlers"] = async (r, ct) =>
        {
            var page = await store.GetCrawlersAsync(r.Offset(), r.MaxResults(MaxPage), ct);
            return new { CrawlerNames = page.Items.Select(c => c.Name).ToList(), NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["BatchGetCrawlers"] = async (r, ct) =>
        {
            var found = new List<Crawler>();
            var missing = new List<string>();
            foreach (var name in r.Get<List<string>>("CrawlerNames"))
            {
                try
                {
                    found.Add(await store.GetCrawlerAsync(name, ct));
                }
                catch (EntityNotFoundException)
                {
                    missing.Add(name);
                }
            }

            return new { Crawlers = found, CrawlersNotFound = missing };
        },
        ["ListCrawls"] = async (r, ct) =>
        {
            var name = r.String("CrawlerName");
            await store.GetCrawlerAsync(name, ct);
            var runs = await store.GetCrawlerRunsAsync(name, r.MaxResults(MaxPage), ct);
            return new
            {
                Crawls = runs.Select(c => new
                {
                    CrawlId = c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    State = c.Status switch { "SUCCEEDED" => "COMPLETED", "CANCELLED" => "STOPPED", var s => s },
                    StartTime = c.Started,
                    EndTime = c.Finished,
                    Summary = System.Text.Json.JsonSerializer.Serialize(new
                    {
                        c.TablesCreated, c.TablesUpdated, c.TablesDeleted, c.PartitionsAdded, c.FilesRead,
                    }),
                    ErrorMessage = c.Error,
                }).ToList(),
            };
        },
        ["GetCrawlerMetrics"] = async (r, ct) => new
        {
            CrawlerMetricsList = await store.GetCrawlerMetricsAsync(r.Optional<List<string>>("CrawlerNameList") ?? [], ct),
        },
        ["CreateConnection"] = async (r, ct) => { await store.CreateConnectionAsync(r.Get<ConnectionInput>("ConnectionInput"), ct); return Empty; },
        ["GetConnection"] = async (r, ct) => new { Connection = await store.GetConnectionAsync(r.String("Name"), ct) },
        ["GetConnections"] = async (r, ct) =>
        {
            var type = r.Optional<ConnectionFilter>("Filter")?.ConnectionType;
            var page = await store.GetConnectionsAsync(type, r.Offset(), r.MaxResults(MaxPage), ct);
            return new { ConnectionList = page.Items, NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["DeleteConnection"] = async (r, ct) => { await store.DeleteConnectionAsync(r.String("ConnectionName"), ct); return Empty; },
        ["CreateClassifier"] = async (r, ct) =>
        {
            await store.CreateClassifierAsync(new Classifier
            {
                CsvClassifier = r.Optional<CsvClassifierDefinition>("CsvClassifier"),
                JsonClassifier = r.Optional<JsonClassifierDefinition>("JsonClassifier"),
            }, ct);
            return Empty;
        },
        ["GetClassifier"] = async (r, ct) => new { Classifier = await store.GetClassifierAsync(r.String("Name"), ct) },
        ["GetClassifiers"] = async (r, ct) =>
        {
            var page = await store.GetClassifiersAsync(r.Offset(), r.MaxResults(MaxPage), ct);
            return new { Classifiers = page.Items, NextToken = GlueRequest.Token(page.NextOffset) };
        },
        ["DeleteClassifier"] = async (r, ct) => { await store.DeleteClassifierAsync(r.String("Name"), ct); return Empty; },
    };

    private Dictionary<string, GlueOperation>? _operations;

    private CrawlerInput CheckedCrawlerInput(GlueRequest r)
    {
        var input = CrawlerInputOf(r);
        crawlers.CheckTargets(input.Name!, input.Targets);
        return input;
    }

    private static CrawlerInput CrawlerInputOf(GlueRequest r) => new()
    {
        Name = r.String("Name"),
        Role = r.OptionalString("Role"),
        DatabaseName = r.OptionalString("DatabaseName"),
        Description = r.OptionalString("Description"),
        Targets = r.Optional<CrawlerTargets>("Targets"),
        Schedule = r.OptionalString("Schedule"),
        Classifiers = r.Optional<List<string>>("Classifiers"),
        TablePrefix = r.OptionalString("TablePrefix"),
        SchemaChangePolicy = r.Optional<SchemaChangePolicy>("SchemaChangePolicy"),
        RecrawlPolicy = r.Optional<RecrawlPolicy>("RecrawlPolicy"),
        Configuration = r.OptionalString("Configuration"),
    };

    private sealed record ConnectionFilter(string? ConnectionType);
}
