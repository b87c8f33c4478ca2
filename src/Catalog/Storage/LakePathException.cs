namespace Streams.Catalog.Storage;

/// <summary>A path is not inside the configured lake root (or is not a valid location for this storage).</summary>
public sealed class LakePathException(string path, string root, string reason)
    : Exception($"Path '{path}' is refused: {reason} (lake root: {root}).")
{
    /// <summary>The refused path.</summary>
    public string Path { get; } = path;

    /// <summary>The lake root.</summary>
    public string Root { get; } = root;
}
