namespace Streams.Catalog.Classifiers;

/// <summary>A classifier recognised a file's format but its content is corrupt; the message says where.</summary>
public sealed class UnreadableFileException(string path, string reason, Exception? inner = null)
    : Exception($"{path}: {reason}", inner)
{
    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong, and where in the file.</summary>
    public string Reason { get; } = reason;
}
