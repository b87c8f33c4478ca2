using System.Text.RegularExpressions;
using Streams.Catalog.Classifiers;
using Streams.Catalog.Model;
using Streams.Catalog.Schemas;
using Streams.Catalog.Storage;
using Streams.Formats.Model;
using static Streams.Catalog.Model.CrawlerConstants;

namespace Streams.Catalog.Crawlers;

/// <summary>
/// Crawls one lake path: lists its files (minus exclusions and hidden <c>_</c>/<c>.</c> files), classifies a
/// sample of each, groups files into tables by folder (see <see cref="PartitionLayout"/>) and by compatible
/// format, merges their schemas, and derives partitions with typed keys.
/// </summary>
public sealed partial class LakeCrawler(ILakeStorage storage, IReadOnlyList<IClassifier> classifiers, Crawler crawler,
    CrawlMetrics metrics, IProgress<CrawlProgress>? progress)
{
    /// <summary>How much of each file the classifiers see.</summary>
    public const int SampleBytes = 1 << 20;

    /// <summary>
    /// Crawls <paramref name="target"/>. With CRAWL_NEW_FOLDERS_ONLY, files in folders the catalog already
    /// knows (<paramref name="knownFolders"/>: table and partition locations) are skipped.
    /// </summary>
    public async Task<IReadOnlyList<CrawledTable>> CrawlAsync(S3Target target, IReadOnlySet<string> knownFolders,
        CancellationToken cancellationToken)
    {
        var root = storage.Normalize(target.Path!);
        var exclusions = (target.Exclusions ?? []).Select(p => new ExclusionGlob(p)).ToList();
        var newFoldersOnly = crawler.RecrawlPolicy?.RecrawlBehavior == CrawlNewFoldersOnly;
        var files = new List<(LakeObject File, string Relative)>();
        string? token = null;
        do
        {
            var page = await storage.ListAsync(root, token, 1000, cancellationToken);
            foreach (var file in page.Objects)
            {
                var relative = file.Path.Length > root.Length ? file.Path[(root.Length + 1)..] : Path.GetFileName(file.Path);
                var name = relative[(relative.LastIndexOf('/') + 1)..];
                if (name.StartsWith('_') || name.StartsWith('.') || exclusions.Any(g => g.IsMatch(relative)))
                {
                    metrics.FileSkipped();
                    continue;
                }

                if (newFoldersOnly && knownFolders.Contains(Folder(file.Path)))
                {
                    metrics.FileSkipped();
                    continue;
                }

                files.Add((file, relative));
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        var targetIsTable = files.Any(f => !f.Relative.Contains('/')
                                           || f.Relative[..f.Relative.IndexOf('/')].Contains('='));
        var groups = new Dictionary<(string Folder, string Key, string Layout), List<ClassifiedFile>>();
        // With a SampleSize, only the first files of each folder are read; the others take the classification of
        // the folder's first readable one (Glue's sampling: folders of one dataset hold files of one layout).
        var sampled = new Dictionary<string, (int Read, Classification? First)>(StringComparer.Ordinal);
        for (var i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (file, relative) = files[i];
            progress?.Report(new CrawlProgress(i, files.Count, relative));
            var folderPath = Folder(file.Path);
            var seen = sampled.GetValueOrDefault(folderPath);
            if (target.SampleSize is { } sampleSize && seen.Read >= sampleSize && seen.First is { } assumed)
            {
                metrics.FileSkipped();
                Add(file, relative, assumed with { Schema = null });
                continue;
            }

            sampled[folderPath] = (seen.Read + 1, seen.First);
            Classification? classification;
            try
            {
                var sample = await FileSample.ReadAsync(storage, file, SampleBytes, cancellationToken);
                classification = await ClassifierFactory.ClassifyAsync(classifiers, sample, cancellationToken);
            }
            catch (UnreadableFileException e)
            {
                metrics.FileUnreadable(file.Path, e.Reason);
                continue;
            }

            if (classification is null)
            {
                metrics.FileUnclassified(file.Path);
                continue;
            }

            metrics.FileRead();
            sampled[folderPath] = (seen.Read + 1, seen.First ?? classification);
            Add(file, relative, classification);
        }

        void Add(LakeObject file, string relative, Classification classification)
        {
            var (folder, partitions) = PartitionLayout.Locate(relative, targetIsTable);
            var layout = string.Join('/', partitions.Select(p => p.Key));
            var key = (folder, classification.CompatibilityKey, layout);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(new ClassifiedFile(file, classification, partitions));
        }

        progress?.Report(new CrawlProgress(files.Count, files.Count, "writing the catalog"));
        var tables = new List<CrawledTable>();
        foreach (var byFolder in groups.GroupBy(g => g.Key.Folder))
        {
            // The largest group of a folder names the table after the folder; others get a suffix.
            var ordered = byFolder.OrderByDescending(g => g.Value.Count).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var baseName = byFolder.Key.Length == 0 ? root[(root.LastIndexOfAny(['/', ':']) + 1)..] : byFolder.Key;
                var name = TableName(crawler.TablePrefix + baseName + (i == 0 ? "" : $"_{ordered[i].Key.Key.Split('|')[0]}_{i}"));
                var location = byFolder.Key.Length == 0 ? root : $"{root}/{byFolder.Key}";
                if (BuildTable(name, location, ordered[i].Value) is { } table)
                {
                    tables.Add(table);
                }
            }
        }

        return tables;
    }

    private CrawledTable? BuildTable(string name, string location, List<ClassifiedFile> files)
    {
        var classification = files[0].Classification;
        Schema? merged = null;
        foreach (var file in files.Where(f => f.Classification.Schema is not null))
        {
            merged = SchemaMerger.Merge(merged, file.Classification.Schema);
        }

        if (merged is null)
        {
            metrics.Log($"NO SCHEMA for table {name}: none of its {files.Count} files gave a schema.");
            return null;
        }

        var keys = files[0].Partitions.Select((p, i) => new Column
        {
            Name = p.Key,
            Type = PartitionLayout.InferType(files.Select(f => f.Partitions[i].Value)),
        }).ToList();
        var keyNames = keys.Select(k => k.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var columns = new List<Column>();
        foreach (var field in ((RecordSchema)merged!).Fields)
        {
            if (keyNames.Contains(field.Name))
            {
                // Hive partition columns shadow data columns of the same name.
                metrics.Log($"COLUMN {name}.{field.Name} is also a partition key; the partition key is kept.");
                continue;
            }

            columns.Add(new Column { Name = field.Name, Type = GlueTypes.ToTypeString(field.Schema) });
        }

        var (inputFormat, outputFormat, serde) = FileFormats.For(classification.Format, classification.Parameters);
        var parameters = new Dictionary<string, string>(classification.Parameters)
        {
            ["classification"] = classification.Format,
            ["typeOfData"] = "file",
            ["compressionType"] = "none",
            ["objectCount"] = files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["sizeKey"] = files.Sum(f => f.File.Size).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        StorageDescriptor Storage(string where) => new()
        {
            Columns = columns,
            Location = where + "/",
            InputFormat = inputFormat,
            OutputFormat = outputFormat,
            SerdeInfo = serde,
            Compressed = false,
            Parameters = new Dictionary<string, string>(classification.Parameters) { ["classification"] = classification.Format },
        };

        var partitions = keys.Count == 0
            ? []
            : files.GroupBy(f => Folder(f.File.Path))
                .Select(g => new CrawledPartition([.. g.First().Partitions.Select(p => p.Value)], Storage(g.Key), g.Count(), g.Sum(f => f.File.Size)))
                .ToList();
        var input = new TableInput
        {
            Name = name,
            TableType = "EXTERNAL_TABLE",
            StorageDescriptor = Storage(location),
            PartitionKeys = keys,
            Parameters = parameters,
        };
        return new CrawledTable(input, partitions);
    }

    private static string Folder(string path) => path[..path.LastIndexOf('/')];

    private static string TableName(string name)
    {
        var cleaned = NonName().Replace(name.ToLowerInvariant(), "_");
        return cleaned.Length == 0 ? "table" : cleaned;
    }

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex NonName();

    private sealed record ClassifiedFile(LakeObject File, Classification Classification,
        IReadOnlyList<(string Key, string Value)> Partitions);
}
