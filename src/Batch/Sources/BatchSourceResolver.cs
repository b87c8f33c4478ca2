using Streams.Catalog;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Model;
using Streams.Catalog.Schemas;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Formats;
using Streams.Formats.Model;
using Streams.Pipelines.Specs;

namespace Streams.Batch.Sources;

/// <summary>
/// Resolves a pipeline's batch source, a Data Catalog table (its location, partitions and columns) or a lake
/// path (local or <c>s3://</c>, hive partitions <c>k=v/</c> recognised), into the files to read. Partitions
/// are pruned by the predicate before any file is opened: for a table only the kept partitions' locations
/// are listed.
/// </summary>
/// <param name="lake">The lake storage the files live in.</param>
/// <param name="catalog">The catalog store, needed for table sources.</param>
public sealed class BatchSourceResolver(ILakeStorage lake, CatalogStore? catalog)
{
    /// <summary>Resolves <paramref name="source"/>, keeping the partitions that <paramref name="where"/> (Glue's push_down_predicate) matches.</summary>
    /// <param name="source">The batch source of the pipeline spec.</param>
    /// <param name="where">A partition predicate, or null to keep every partition.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <exception cref="BatchSourceException">The table or path does not exist, or the predicate is invalid.</exception>
    public Task<ResolvedSource> ResolveAsync(BatchSourceSpec source, string? where, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        where = string.IsNullOrWhiteSpace(where) ? null : where;
        return source.Table is not null
            ? ResolveTableAsync(source.Table, source.Format, where, cancellationToken)
            : ResolvePathAsync(source.Path!, source.Format, where, cancellationToken);
    }

    private async Task<ResolvedSource> ResolveTableAsync(string name, string? format, string? where, CancellationToken cancellationToken)
    {
        if (catalog is null)
        {
            throw new BatchSourceException($"The source is the catalog table '{name}', but no catalog database is configured: pass --postgres or set Streams:Postgres:ConnectionString.");
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == name.Length - 1)
        {
            throw new BatchSourceException($"source.batch.table '{name}' must be database.table.");
        }

        Table table;
        try
        {
            table = await catalog.GetTableAsync(name[..dot], name[(dot + 1)..], cancellationToken);
        }
        catch (EntityNotFoundException e)
        {
            throw new BatchSourceException($"{e.Message} Crawl the data first (streams crawl) or create the table.", e);
        }

        var location = table.StorageDescriptor?.Location ?? throw new BatchSourceException($"Catalog table {name} has no location.");
        var keys = table.PartitionKeys ?? [];
        var fileFormat = FormatByName(format ?? table.Parameters?.GetValueOrDefault("classification"), name);
        var schema = CatalogSchema(table);
        var partitions = new List<SourcePartition>();
        var files = new List<LakeFile>();
        if (keys.Count == 0)
        {
            if (where is not null)
            {
                throw new BatchSourceException($"Catalog table {name} has no partition keys, so the predicate \"{where}\" cannot select partitions.");
            }

            var listed = await ListAsync(location, cancellationToken);
            files.AddRange(listed.Select(o => new LakeFile(o, [], fileFormat ?? RecordFiles.FindFormat(o.Path))));
            partitions.Add(new SourcePartition([], Normalize(location), listed.Count, listed.Sum(o => o.Size)));
            return new ResolvedSource(name, Normalize(location), keys, partitions, [], files, schema);
        }

        var all = new List<Partition>();
        try
        {
            await foreach (var partition in Pages.ReadAllAsync(
                               (offset, ct) => catalog.GetPartitionsAsync(table.DatabaseName!, table.Name, null, offset, 1000, cancellationToken: ct), cancellationToken))
            {
                all.Add(partition);
            }
        }
        catch (InvalidInputException e)
        {
            throw new BatchSourceException(e.Message, e);
        }

        var filter = Parse(where, keys);
        var kept = all.Where(p => filter?.Matches(p.Values) ?? true).ToList();
        string LocationOf(Partition partition) => partition.StorageDescriptor?.Location
                                                  ?? $"{location.TrimEnd('/')}/{string.Join('/', keys.Zip(partition.Values, (k, v) => $"{k.Name}={Uri.EscapeDataString(v)}"))}";
        foreach (var partition in kept)
        {
            var partitionLocation = LocationOf(partition);
            var listed = await ListAsync(partitionLocation, cancellationToken);
            files.AddRange(listed.Select(o => new LakeFile(o, partition.Values, fileFormat ?? RecordFiles.FindFormat(o.Path))));
            partitions.Add(new SourcePartition(partition.Values, Normalize(partitionLocation), listed.Count, listed.Sum(o => o.Size)));
        }

        return new ResolvedSource(name, Normalize(location), keys, partitions, [.. all.Except(kept).Select(p => Normalize(LocationOf(p)))], files, schema);
    }

    private async Task<ResolvedSource> ResolvePathAsync(string path, string? format, string? where, CancellationToken cancellationToken)
    {
        var location = Normalize(path);
        var listed = await ListAsync(location, cancellationToken);
        var fileFormat = FormatByName(format, path);
        var located = new List<(LakeObject Object, IReadOnlyList<(string Key, string Value)> Partitions)>();
        foreach (var file in listed)
        {
            var relative = file.Path.Length > location.Length ? file.Path[(location.Length + 1)..] : Path.GetFileName(file.Path);
            var (_, segments) = PartitionLayout.Locate(relative, targetIsTable: true);
            var folders = relative.Split('/')[..^1];
            // Only k=v folders are partitions of a lake path: other folders are just where files were put.
            located.Add((file, segments.Where((s, i) => folders[i].StartsWith(s.Key + "=", StringComparison.Ordinal)).ToList()));
        }

        var keyNames = located.Count == 0 ? [] : located[0].Partitions.Select(p => p.Key).ToList();
        foreach (var (file, partitions) in located)
        {
            if (!partitions.Select(p => p.Key).SequenceEqual(keyNames, StringComparer.Ordinal))
            {
                throw new BatchSourceException(
                    $"{location}: the files are not partitioned alike: {located[0].Object.Path} has partition keys [{string.Join(", ", keyNames)}], " +
                    $"{file.Path} has [{string.Join(", ", partitions.Select(p => p.Key))}]. Point source.batch.path at one table's folder.");
            }
        }

        var keys = keyNames.Select((k, i) => new Column { Name = k, Type = PartitionLayout.InferType(located.Select(l => l.Partitions[i].Value)) }).ToList();
        if (where is not null && keys.Count == 0)
        {
            throw new BatchSourceException($"{location} has no k=v/ partition folders, so the predicate \"{where}\" cannot select partitions.");
        }

        var filter = Parse(where, keys);
        var groups = located
            .Select(l => (l.Object, Values: (IReadOnlyList<string>)l.Partitions.Select(p => p.Value).ToList()))
            .GroupBy(l => string.Join('\u0001', l.Values), StringComparer.Ordinal)
            .ToList();
        var partitionList = new List<SourcePartition>();
        var pruned = new List<string>();
        var files = new List<LakeFile>();
        foreach (var group in groups)
        {
            var values = group.First().Values;
            var first = group.First().Object.Path;
            var folder = keys.Count == 0 ? location : first[..first.LastIndexOf('/')];
            if (filter is not null && !filter.Matches(values))
            {
                pruned.Add(folder);
                continue;
            }

            partitionList.Add(new SourcePartition(values, folder, group.Count(), group.Sum(g => g.Object.Size)));
            files.AddRange(group.Select(g => new LakeFile(g.Object, values, fileFormat ?? RecordFiles.FindFormat(g.Object.Path))));
        }

        return new ResolvedSource(location, location, keys, partitionList, pruned, [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)], null);
    }

    private string Normalize(string path)
    {
        try
        {
            return lake.Normalize(path);
        }
        catch (LakePathException e)
        {
            throw new BatchSourceException($"{e.Message} Set Streams:Lake:Root to a directory or s3://bucket/prefix that holds it.", e);
        }
    }

    /// <summary>
    /// Every data file under <paramref name="location"/>; names starting with '_' or '.' (_SUCCESS, .crc) are markers, not data,
    /// and of archive files whose offset ranges overlap (a roll under way) one set without overlaps (<see cref="ArchiveFiles"/>).
    /// </summary>
    private async Task<List<LakeObject>> ListAsync(string location, CancellationToken cancellationToken)
    {
        var prefix = Normalize(location);
        var files = new List<LakeObject>();
        string? token = null;
        do
        {
            var page = await lake.ListAsync(prefix, token, 1000, cancellationToken);
            files.AddRange(page.Objects.Where(o => Path.GetFileName(o.Path) is var n && !n.StartsWith('_') && !n.StartsWith('.')));
            token = page.ContinuationToken;
        }
        while (token is not null);

        return ArchiveFiles.WithoutOverlaps(files);
    }

    private static PartitionExpression? Parse(string? where, IReadOnlyList<Column> keys)
    {
        try
        {
            return where is null ? null : PartitionExpression.Parse(where, keys);
        }
        catch (InvalidInputException e)
        {
            throw new BatchSourceException(e.Message, e);
        }
    }

    private static RecordFileFormat? FormatByName(string? name, string source)
    {
        if (name is null)
        {
            return null;
        }

        var wanted = name.ToLowerInvariant() switch { "json" => "jsonl", var n => n };
        return RecordFiles.Formats.FirstOrDefault(f => f.Name == wanted)
               ?? throw new BatchSourceException($"{source}: unknown format '{name}'; known: {string.Join(", ", RecordFiles.Formats.Select(f => f.Name))}.");
    }

    /// <summary>The table's data columns as a record schema (every column nullable, as Glue's are), or null when it declares none.</summary>
    private static RecordSchema? CatalogSchema(Table table)
    {
        var columns = table.StorageDescriptor?.Columns;
        if (columns is null || columns.Count == 0)
        {
            return null;
        }

        try
        {
            var fields = columns.Select(c => new Field(c.Name, GlueTypes.Parse(c.Type ?? "string", $"{table.Name}_{c.Name}"))).ToList();
            return new RecordSchema(new SchemaName(JsonSchemaInference.Sanitize(table.Name), table.DatabaseName), fields);
        }
        catch (FormatException e)
        {
            throw new BatchSourceException($"Catalog table {table.DatabaseName}.{table.Name} has a column type that is not a Glue type: {e.Message}", e);
        }
    }
}
