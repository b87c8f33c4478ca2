namespace Streams.Catalog.Classifiers;

/// <summary>Recognises a file format from a sample and infers the schema of its records.</summary>
public interface IClassifier
{
    /// <summary>The classifier's name (built-in ones are named after their format).</summary>
    string Name { get; }

    /// <summary>
    /// The classification of the file, or <c>null</c> when this classifier does not recognise it.
    /// </summary>
    /// <exception cref="UnreadableFileException">The file is of this format but corrupt.</exception>
    Task<Classification?> ClassifyAsync(FileSample sample, CancellationToken cancellationToken);
}
