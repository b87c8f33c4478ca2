using Streams.Catalog;
using Streams.Catalog.Model;
using Streams.Catalog.Schemas;
using Streams.Catalog.Store;

namespace Streams.Serving;

/// <summary>
/// Registers serving outputs in the Data Catalog: database <c>serving</c>, one table per merged view
/// (type <c>VIRTUAL_VIEW</c>, location <c>postgresql:serving.NAME</c>) with the view's columns and
/// parameters naming its speed and batch tables, key and time column. So the Glue API and crawlers'
/// clients see serving outputs next to lake tables.
/// </summary>
public static class ServingCatalog
{
    /// <summary>The catalog database of serving outputs.</summary>
    public const string DatabaseName = ServingMigrations.Schema;

    /// <summary>Creates or updates the catalog table of <paramref name="output"/>.</summary>
    public static async Task RegisterAsync(CatalogStore catalog, ServingOutputDefinition output, CancellationToken cancellationToken = default)
    {
        try
        {
            await catalog.CreateDatabaseAsync(new DatabaseInput
            {
                Name = DatabaseName,
                Description = "Serving layer: merged (batch + speed) views in PostgreSQL schema serving.",
            }, cancellationToken);
        }
        catch (AlreadyExistsException)
        {
            // Registered by an earlier output.
        }

        var columns = output.Schema.Fields
            .Where(f => !f.Name.StartsWith(ServingStore.StateColumnPrefix, StringComparison.Ordinal))
            .Select(f => new Column { Name = f.Name, Type = GlueTypes.ToTypeString(f.Schema.NonNullBranch ?? f.Schema) })
            .ToList();
        var input = new TableInput
        {
            Name = output.Name,
            Description = $"Merged view serving.{output.Name}: batch rows before the watermark, speed rows from it on.",
            TableType = "VIRTUAL_VIEW",
            StorageDescriptor = new StorageDescriptor { Columns = columns, Location = $"postgresql:{ServingMigrations.Schema}.{output.Name}" },
            Parameters = new Dictionary<string, string>
            {
                ["classification"] = "postgresql",
                ["serving.speed_table"] = $"{ServingMigrations.Schema}.{output.SpeedTable}",
                ["serving.batch_table"] = $"{ServingMigrations.Schema}.{output.BatchTable}",
                ["serving.keys"] = string.Join(",", output.Keys),
                ["serving.time_column"] = output.TimeColumn,
            },
        };
        try
        {
            await catalog.CreateTableAsync(DatabaseName, input, cancellationToken);
        }
        catch (AlreadyExistsException)
        {
            await catalog.UpdateTableAsync(DatabaseName, input, cancellationToken: cancellationToken);
        }
    }
}
