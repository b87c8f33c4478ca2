namespace Streams.Catalog.Storage;

/// <summary>
/// The configured lake storage, created on first use so that a host without a lake still serves the catalog
/// (a crawl of a lake path then fails with the configuration to set).
/// </summary>
public sealed class LakeStorageProvider(LakeOptions options)
{
    private readonly Lazy<ILakeStorage> _storage = new(() => LakeStorage.Create(options));

    /// <summary>The lake storage.</summary>
    /// <exception cref="InvalidOperationException">No lake root is configured.</exception>
    public ILakeStorage Storage => _storage.Value;
}
