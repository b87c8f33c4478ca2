using Streams.Catalog.Model;
using Streams.Catalog.Store;
using static Streams.Catalog.Model.CrawlerConstants;

namespace Streams.Catalog.Crawlers;

/// <summary>
/// Writes what a crawl found into the catalog under the crawler's schema change policy: new tables are
/// created; changed ones are updated (keeping the previous version) or only logged; new partitions are
/// added and known ones refreshed; tables and partitions of this crawler that were not found again are
/// deleted, deprecated or logged.
/// </summary>
public sealed class CatalogWriter(CatalogStore store, Crawler crawler, CrawlMetrics metrics)
{
    /// <summary>The parameter naming the crawler that last wrote a table (as Glue's crawlers do).</summary>
    public const string UpdatedByCrawler = "UPDATED_BY_CRAWLER";

    /// <summary>The parameter a deprecated table or partition carries: when it was found missing.</summary>
    public const string DeprecatedByCrawler = "DEPRECATED_BY_CRAWLER";

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly string _database = crawler.DatabaseName!;

    /// <summary>Creates or updates <paramref name="table"/> and its partitions.</summary>
    public async Task WriteAsync(CrawledTable table, bool deletePartitions, CancellationToken cancellationToken)
    {
        var input = table.Input with
        {
            Parameters = new Dictionary<string, string>(table.Input.Parameters ?? []) { [UpdatedByCrawler] = crawler.Name },
        };
        _seen.Add(input.Name!);
        Table? existing = null;
        try
        {
            existing = await store.GetTableAsync(_database, input.Name!, cancellationToken);
        }
        catch (EntityNotFoundException)
        {
        }

        if (existing is null)
        {
            await store.CreateTableAsync(_database, input, cancellationToken);
            metrics.TableCreated();
        }
        else if (Differs(existing, input))
        {
            if (crawler.SchemaChangePolicy?.UpdateBehavior == Log)
            {
                metrics.Log($"SCHEMA CHANGE {_database}.{input.Name} not applied (UpdateBehavior LOG): " +
                            $"[{Describe(existing.StorageDescriptor?.Columns, existing.PartitionKeys)}] -> [{Describe(input.StorageDescriptor?.Columns, input.PartitionKeys)}]");
            }
            else
            {
                await store.UpdateTableAsync(_database, input, cancellationToken: cancellationToken);
                metrics.TableUpdated();
            }
        }

        var now = DateTimeOffset.UtcNow;
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var partition in table.Partitions)
        {
            found.Add(string.Join('\u0001', partition.Values));
            if (await store.UpsertCrawledPartitionAsync(_database, input.Name!, partition.Values, partition.Storage,
                    partition.FileCount, partition.Bytes, now, cancellationToken))
            {
                metrics.PartitionAdded();
            }
        }

        if (deletePartitions && (input.PartitionKeys?.Count ?? 0) > 0)
        {
            foreach (var gone in (await store.GetAllPartitionsAsync(_database, input.Name!, cancellationToken))
                     .Where(p => !found.Contains(string.Join('\u0001', p.Values))))
            {
                await HandleMissingPartitionAsync(input.Name!, gone, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Applies the delete behaviour to this crawler's tables that the run did not find (call after every
    /// target was crawled, and only when everything was crawled).
    /// </summary>
    public async Task HandleMissingTablesAsync(CancellationToken cancellationToken)
    {
        var mine = new List<Table>();
        await foreach (var table in Pages.ReadAllAsync(
                           (offset, c) => store.GetTablesAsync(_database, null, offset, 100, c), cancellationToken))
        {
            if (table.Parameters?.GetValueOrDefault(UpdatedByCrawler) == crawler.Name)
            {
                mine.Add(table);
            }
        }

        foreach (var table in mine.Where(t => !_seen.Contains(t.Name)))
        {
            switch (crawler.SchemaChangePolicy?.DeleteBehavior)
            {
                case DeleteFromDatabase:
                    await store.DeleteTableAsync(_database, table.Name, cancellationToken);
                    metrics.TableDeleted();
                    break;
                case Log:
                    metrics.Log($"MISSING {_database}.{table.Name}: its data is gone (DeleteBehavior LOG, table kept).");
                    break;
                default:
                    if (table.Parameters?.ContainsKey(DeprecatedByCrawler) != true)
                    {
                        await store.UpdateTableAsync(_database, ToInput(table) with
                        {
                            Parameters = new Dictionary<string, string>(table.Parameters ?? [])
                            {
                                [DeprecatedByCrawler] = DateTimeOffset.UtcNow.ToString("O"),
                            },
                        }, cancellationToken: cancellationToken);
                        metrics.Log($"DEPRECATED {_database}.{table.Name}: its data is gone.");
                    }

                    break;
            }
        }
    }

    private async Task HandleMissingPartitionAsync(string table, Partition partition, CancellationToken cancellationToken)
    {
        var values = string.Join(", ", partition.Values);
        switch (crawler.SchemaChangePolicy?.DeleteBehavior)
        {
            case DeleteFromDatabase:
                await store.DeletePartitionAsync(_database, table, partition.Values, cancellationToken);
                metrics.Log($"DELETED partition ({values}) of {_database}.{table}: its folder is gone.");
                break;
            case Log:
                metrics.Log($"MISSING partition ({values}) of {_database}.{table}: its folder is gone (kept).");
                break;
            default:
                if (partition.Parameters?.ContainsKey(DeprecatedByCrawler) != true)
                {
                    await store.SetPartitionParameterAsync(_database, table, partition.Values, DeprecatedByCrawler,
                        DateTimeOffset.UtcNow.ToString("O"), cancellationToken);
                    metrics.Log($"DEPRECATED partition ({values}) of {_database}.{table}: its folder is gone.");
                }

                break;
        }
    }

    private static bool Differs(Table existing, TableInput input) =>
        Describe(existing.StorageDescriptor?.Columns, existing.PartitionKeys) != Describe(input.StorageDescriptor?.Columns, input.PartitionKeys)
        || existing.StorageDescriptor?.Location != input.StorageDescriptor?.Location
        || existing.StorageDescriptor?.InputFormat != input.StorageDescriptor?.InputFormat
        || existing.Parameters?.GetValueOrDefault("classification") != input.Parameters?.GetValueOrDefault("classification")
        || existing.Parameters?.ContainsKey(DeprecatedByCrawler) == true;

    private static string Describe(IEnumerable<Column>? columns, IEnumerable<Column>? keys) =>
        string.Join(", ", (columns ?? []).Select(c => $"{c.Name} {c.Type}"))
        + " | " + string.Join(", ", (keys ?? []).Select(c => $"{c.Name} {c.Type}"));

    /// <summary>The input that recreates <paramref name="table"/>.</summary>
    public static TableInput ToInput(Table table) => new()
    {
        Name = table.Name,
        Description = table.Description,
        Owner = table.Owner,
        Retention = table.Retention,
        StorageDescriptor = table.StorageDescriptor,
        PartitionKeys = table.PartitionKeys,
        TableType = table.TableType,
        Parameters = table.Parameters,
    };
}
