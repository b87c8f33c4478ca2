namespace Streams.Catalog.Storage;

/// <summary>
/// The configured lake storage, created on first use so that a host without a lake still serves the catalog
/// (a crawl of a lake path then fails with the configuration to set).
/// </summary>
public sealed class LakeStorageProvider
{
    private readonly Lazy<ILakeStorage> _storage;

    /// <summary>Creates the provider of the storage <paramref name="options"/> describe.</summary>
    public LakeStorageProvider(LakeOptions options) => _storage = new(() => LakeStorage.Create(options));

    /// <summary>Creates the provider of an existing <paramref name="storage"/>.</summary>
    public LakeStorageProvider(ILakeStorage storage) => _storage = new(storage);

    /// <summary>The lake storage.</summary>
    /// <exception cref="InvalidOperationException">No lake root is configured.</exception>
    public ILakeStorage Storage => _storage.Value;
}
