using System.CommandLine;
using Spectre.Console;
using Streams.Catalog.Store;
using Streams.Catalog;
using Streams.Catalog.Model;

namespace Streams.Host.Cli;

/// <summary><c>streams catalog databases|tables|partitions|show</c>: browse the Data Catalog.</summary>
public static class CatalogCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create()
    {
        var command = new Command("catalog", "Browse the Data Catalog: databases, tables, partitions.");
        command.Subcommands.Add(Databases());
        command.Subcommands.Add(Tables());
        command.Subcommands.Add(Partitions());
        command.Subcommands.Add(Show());
        return command;
    }

    private static Command Databases()
    {
        var command = new Command("databases", "List the databases.");
        command.SetAction((_, ct) => RunAsync(async catalog =>
        {
            var table = new Spectre.Console.Table().AddColumns("Database", "Description", "Location", "Created");
            await foreach (var d in Pages.ReadAllAsync((offset, c) => catalog.Store.GetDatabasesAsync(offset, 100, c), ct))
            {
                table.AddRow(Markup.Escape(d.Name), Markup.Escape(d.Description ?? ""), Markup.Escape(d.LocationUri ?? ""),
                    d.CreateTime?.ToString("u") ?? "");
            }

            CliConsole.Output.Write(table);
        }, ct));
        return command;
    }

    private static Command Tables()
    {
        var database = new Argument<string>("database") { Description = "The database." };
        var expression = new Option<string?>("--expression") { Description = "Only tables whose name matches this regular expression." };
        var command = new Command("tables", "List the tables of a database.") { database, expression };
        command.SetAction((r, ct) => RunAsync(async catalog =>
        {
            var table = new Spectre.Console.Table().AddColumns("Table", "Classification", "Columns", "Partition keys", "Location", "Version");
            var tables = Pages.ReadAllAsync(
                (offset, c) => catalog.Store.GetTablesAsync(r.GetValue(database)!, r.GetValue(expression), offset, 100, c), ct);
            await foreach (var t in tables)
            {
                table.AddRow(Markup.Escape(t.Name), Markup.Escape(t.Parameters?.GetValueOrDefault("classification") ?? ""),
                    (t.StorageDescriptor?.Columns?.Count ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(", ", (t.PartitionKeys ?? []).Select(k => $"{k.Name} {k.Type}"))),
                    Markup.Escape(t.StorageDescriptor?.Location ?? ""), t.VersionId ?? "");
            }

            CliConsole.Output.Write(table);
        }, ct));
        return command;
    }

    private static Command Partitions()
    {
        var database = new Argument<string>("database") { Description = "The database." };
        var tableName = new Argument<string>("table") { Description = "The table." };
        var expression = new Option<string?>("--expression")
        {
            Description = "A partition filter, e.g. \"year='2024' AND month>'03'\".",
        };
        var command = new Command("partitions", "List the partitions of a table.") { database, tableName, expression };
        command.SetAction((r, ct) => RunAsync(async catalog =>
        {
            var keys = (await catalog.Store.GetTableAsync(r.GetValue(database)!, r.GetValue(tableName)!, ct)).PartitionKeys ?? [];
            var table = new Spectre.Console.Table();
            foreach (var key in keys)
            {
                table.AddColumn(Markup.Escape(key.Name));
            }

            table.AddColumns("Files", "Bytes", "Last crawled", "Location");
            var partitions = Pages.ReadAllAsync((offset, c) => catalog.Store.GetPartitionsAsync(
                r.GetValue(database)!, r.GetValue(tableName)!, r.GetValue(expression), offset, 1000, cancellationToken: c), ct);
            await foreach (var p in partitions)
            {
                table.AddRow([.. p.Values.Select(Markup.Escape), p.Parameters?.GetValueOrDefault("numFiles") ?? "",
                    p.Parameters?.GetValueOrDefault("totalSize") ?? "", p.LastAnalyzedTime?.ToString("u") ?? "",
                    Markup.Escape(p.StorageDescriptor?.Location ?? "")]);
            }

            CliConsole.Output.Write(table);
        }, ct));
        return command;
    }

    private static Command Show()
    {
        var database = new Argument<string>("database") { Description = "The database." };
        var tableName = new Argument<string>("table") { Description = "The table." };
        var command = new Command("show", "Show a table: columns, partition keys, storage, parameters and versions.") { database, tableName };
        command.SetAction((r, ct) => RunAsync(async catalog =>
        {
            var t = await catalog.Store.GetTableAsync(r.GetValue(database)!, r.GetValue(tableName)!, ct);
            var versions = await catalog.Store.GetTableVersionsAsync(t.DatabaseName!, t.Name, 0, 100, ct);
            CliConsole.Output.MarkupLine($"[bold]{Markup.Escape(t.DatabaseName!)}.{Markup.Escape(t.Name)}[/]  version {t.VersionId} " +
                                   $"({versions.Items.Count} kept), {Markup.Escape(t.TableType ?? "")}");
            var columns = new Spectre.Console.Table().AddColumns("Column", "Type", "Partition key");
            foreach (var c in t.StorageDescriptor?.Columns ?? [])
            {
                columns.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Type ?? ""), "");
            }

            foreach (var k in t.PartitionKeys ?? [])
            {
                columns.AddRow(Markup.Escape(k.Name), Markup.Escape(k.Type ?? ""), "yes");
            }

            CliConsole.Output.Write(columns);
            var storage = new Spectre.Console.Table().AddColumns("Property", "Value");
            storage.AddRow("Location", Markup.Escape(t.StorageDescriptor?.Location ?? ""));
            storage.AddRow("Input format", Markup.Escape(t.StorageDescriptor?.InputFormat ?? ""));
            storage.AddRow("SerDe", Markup.Escape(t.StorageDescriptor?.SerdeInfo?.SerializationLibrary ?? ""));
            foreach (var (key, value) in t.Parameters ?? [])
            {
                storage.AddRow(Markup.Escape(key), Markup.Escape(value));
            }

            CliConsole.Output.Write(storage);
        }, ct));
        return command;
    }

    /// <summary>Runs <paramref name="action"/> on the configured catalog; catalog errors become a message and exit code 1.</summary>
    internal static Task<int> RunAsync(Func<CatalogCli, Task> action, CancellationToken cancellationToken) =>
        RunAsync(async catalog =>
        {
            await action(catalog);
            return 0;
        }, cancellationToken);

    /// <summary>Runs <paramref name="action"/>, which returns the exit code, on the configured catalog.</summary>
    internal static async Task<int> RunAsync(Func<CatalogCli, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using var catalog = await CatalogCli.OpenAsync(cancellationToken);
            return await action(catalog);
        }
        catch (Exception e) when (e is CatalogException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            await Console.Error.WriteLineAsync(CliMessages.Of(e));
            return 1;
        }
    }
}
