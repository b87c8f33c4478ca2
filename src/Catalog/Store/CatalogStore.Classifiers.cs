using Npgsql;
using Streams.Catalog.Model;

namespace Streams.Catalog.Store;

public sealed partial class CatalogStore
{
    /// <summary>Creates a custom classifier (exactly one of CSV or JSON).</summary>
    public async Task CreateClassifierAsync(Classifier classifier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        if ((classifier.CsvClassifier is null) == (classifier.JsonClassifier is null))
        {
            throw new InvalidInputException("Exactly one of CsvClassifier and JsonClassifier must be given.");
        }

        var name = NormalizeName(classifier.Name, "Classifier");
        var now = DateTimeOffset.UtcNow;
        var stored = classifier.CsvClassifier is { } csv
            ? classifier with { CsvClassifier = csv with { Name = name, CreationTime = now, LastUpdated = now, Version = 1 } }
            : classifier with { JsonClassifier = classifier.JsonClassifier! with { Name = name, CreationTime = now, LastUpdated = now, Version = 1 } };
        Classifiers.ClassifierFactory.Validate(stored);
        try
        {
            await ExecuteAsync("INSERT INTO catalog.classifiers (name, definition) VALUES ($1, $2)", cancellationToken,
                ("", name), ("", Jsonb.Of(stored)));
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            throw new AlreadyExistsException($"Classifier {name} already exists.");
        }
    }

    /// <summary>Gets a custom classifier.</summary>
    public async Task<Classifier> GetClassifierAsync(string name, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeName(name, "Classifier");
        var rows = await QueryAsync("SELECT definition::text FROM catalog.classifiers WHERE name = $1",
            r => CatalogJson.Deserialize<Classifier>(r.GetString(0)), cancellationToken, ("", normalized));
        return rows.Count == 1 ? rows[0] : throw new EntityNotFoundException($"Classifier {normalized} not found.");
    }

    /// <summary>Lists custom classifiers by name.</summary>
    public async Task<Page<Classifier>> GetClassifiersAsync(int offset, int limit, CancellationToken cancellationToken = default) =>
        ToPage(await QueryAsync("SELECT definition::text FROM catalog.classifiers ORDER BY name OFFSET $1 LIMIT $2",
            r => CatalogJson.Deserialize<Classifier>(r.GetString(0)), cancellationToken, ("", offset), ("", limit + 1)), offset, limit);

    /// <summary>Deletes a custom classifier.</summary>
    public async Task DeleteClassifierAsync(string name, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeName(name, "Classifier");
        if (await ExecuteAsync("DELETE FROM catalog.classifiers WHERE name = $1", cancellationToken, ("", normalized)) == 0)
        {
            throw new EntityNotFoundException($"Classifier {normalized} not found.");
        }
    }
}
