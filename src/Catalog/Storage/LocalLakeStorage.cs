using System.Globalization;

namespace Streams.Catalog.Storage;

/// <summary>A lake in a local directory. Paths are absolute, or relative to the root.</summary>
public sealed class LocalLakeStorage : ILakeStorage
{
    /// <summary>Creates the storage over <paramref name="root"/> (created when missing).</summary>
    public LocalLakeStorage(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Directory.CreateDirectory(Root);
    }

    /// <inheritdoc />
    public string Root { get; }

    /// <summary>The absolute local path of <paramref name="path"/>, checked to be under the root.</summary>
    /// <exception cref="LakePathException">The path leaves the root.</exception>
    public string Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Contains("://", StringComparison.Ordinal) && !path.StartsWith("file://", StringComparison.Ordinal))
        {
            throw new LakePathException(path, Root, "not a local path");
        }

        var local = path.StartsWith("file://", StringComparison.Ordinal) ? new Uri(path).LocalPath : path;
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(local, Root));
        if (full != Root && !full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new LakePathException(path, Root, "outside the lake root");
        }

        return full;
    }

    /// <inheritdoc />
    public string Normalize(string path) => Resolve(path);

    /// <inheritdoc />
    public Task<LakeListing> ListAsync(string prefix, string? continuationToken = null, int pageSize = 1000,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var folder = Resolve(prefix);
        if (!Directory.Exists(folder))
        {
            return Task.FromResult(new LakeListing(File.Exists(folder) ? [Describe(new FileInfo(folder))] : [], null));
        }

        // Ordinal order makes the continuation token (the last path returned) a stable cursor.
        var page = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith(TempPrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Where(f => continuationToken is null || string.CompareOrdinal(f, continuationToken) > 0)
            .Take(pageSize + 1)
            .Select(f => Describe(new FileInfo(f)))
            .ToList();
        string? next = null;
        if (page.Count > pageSize)
        {
            page.RemoveAt(pageSize);
            next = page[^1].Path;
        }

        return Task.FromResult(new LakeListing(page, next));
    }

    /// <inheritdoc />
    public Task<LakeObject?> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(Resolve(path));
        return Task.FromResult(info.Exists ? Describe(info) : null);
    }

    /// <inheritdoc />
    public async Task<byte[]> ReadAsync(string path, long offset, int length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        await using var stream = OpenFile(path);
        var start = offset < 0 ? Math.Max(0, stream.Length + offset) : Math.Min(offset, stream.Length);
        var count = (int)Math.Min(length, stream.Length - start);
        var buffer = new byte[count];
        stream.Position = start;
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(OpenFile(path));

    /// <inheritdoc />
    public async Task<LakeObject> WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var target = Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $"{TempPrefix}{Guid.NewGuid():N}");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, true))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return Describe(new FileInfo(target));
    }

    /// <inheritdoc />
    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        File.Delete(Resolve(path));
        return Task.CompletedTask;
    }

    // Writes in progress are hidden from listings so a crawler never sees a half-written file.
    private const string TempPrefix = ".streams-tmp-";

    private FileStream OpenFile(string path)
    {
        var resolved = Resolve(path);
        try
        {
            return new FileStream(resolved, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, true);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"Lake file '{path}' does not exist.", resolved, e);
        }
    }

    private static LakeObject Describe(FileInfo info) => new(
        info.FullName,
        info.Length,
        string.Create(CultureInfo.InvariantCulture, $"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}"),
        new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
}
