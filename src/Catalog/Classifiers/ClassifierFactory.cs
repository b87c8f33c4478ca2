using Streams.Catalog.Model;

namespace Streams.Catalog.Classifiers;

/// <summary>Builds the ordered list of classifiers a crawler runs.</summary>
public static class ClassifierFactory
{
    /// <summary>The built-in classifiers, in the order they are tried: Avro, Parquet, JSON lines, CSV/TSV.</summary>
    public static IReadOnlyList<IClassifier> BuiltIn { get; } =
        [new AvroClassifier(), new ParquetClassifier(), new JsonLinesClassifier(), new CsvClassifier()];

    /// <summary>The crawler's custom classifiers, in its order, followed by the built-in ones.</summary>
    public static IReadOnlyList<IClassifier> Create(IEnumerable<Classifier> custom) =>
        [.. custom.Select(Create), .. BuiltIn];

    /// <summary>The classifier for one custom definition.</summary>
    public static IClassifier Create(Classifier definition) => definition switch
    {
        { CsvClassifier: { } csv } => new CsvClassifier(csv),
        { JsonClassifier: { } json } => new JsonPathClassifier(json),
        _ => throw new InvalidInputException("A classifier must be a CsvClassifier or a JsonClassifier."),
    };

    /// <summary>Checks a custom definition, throwing <see cref="InvalidInputException"/> when it is unusable.</summary>
    public static void Validate(Classifier definition)
    {
        if (definition.CsvClassifier is { } csv)
        {
            if (csv.Delimiter is { Length: not 1 })
            {
                throw new InvalidInputException($"Classifier {csv.Name}: Delimiter must be one character.");
            }

            if (csv.QuoteSymbol is { Length: not 1 })
            {
                throw new InvalidInputException($"Classifier {csv.Name}: QuoteSymbol must be one character.");
            }

            if (csv.ContainsHeader is not (null or "UNKNOWN" or "PRESENT" or "ABSENT"))
            {
                throw new InvalidInputException($"Classifier {csv.Name}: ContainsHeader must be UNKNOWN, PRESENT or ABSENT.");
            }
        }

        Create(definition);
    }

    /// <summary>
    /// The first classification of <paramref name="sample"/> by <paramref name="classifiers"/> in order, or
    /// <c>null</c> when none recognises it.
    /// </summary>
    /// <exception cref="UnreadableFileException">The claiming classifier found the file corrupt.</exception>
    public static async Task<Classification?> ClassifyAsync(IReadOnlyList<IClassifier> classifiers, FileSample sample,
        CancellationToken cancellationToken)
    {
        foreach (var classifier in classifiers)
        {
            if (await classifier.ClassifyAsync(sample, cancellationToken) is { } classification)
            {
                return classification;
            }
        }

        return null;
    }
}
