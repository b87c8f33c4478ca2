using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Streams.Catalog.Storage;

/// <summary>
/// A lake in an S3 bucket under a prefix (AWS or any S3-compatible endpoint). Paths are <c>s3://bucket/key</c>
/// locations, or keys relative to the root prefix.
/// </summary>
public sealed class S3LakeStorage : ILakeStorage, IDisposable
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _prefix;

    /// <summary>Creates the storage for <paramref name="root"/> (<c>s3://bucket/prefix</c>) with <paramref name="options"/>.</summary>
    public S3LakeStorage(string root, S3Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_bucket, _prefix) = ParseRoot(root);
        Root = _prefix.Length == 0 ? $"s3://{_bucket}" : $"s3://{_bucket}/{_prefix.TrimEnd('/')}";
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // s3rver and other S3-compatible stores reject or mangle the SDK 4 default checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            AuthenticationRegion = options.Region,
        };
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        _client = string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    /// <inheritdoc />
    public string Root { get; }

    /// <summary>The object key of <paramref name="path"/>, checked to be under the root prefix.</summary>
    /// <exception cref="LakePathException">The path is in another bucket, outside the prefix, or has <c>..</c> segments.</exception>
    public string ResolveKey(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string key;
        if (path.StartsWith("s3://", StringComparison.Ordinal) || path.StartsWith("s3a://", StringComparison.Ordinal))
        {
            var (bucket, rest) = ParseLocation(path);
            if (bucket != _bucket)
            {
                throw new LakePathException(path, Root, $"bucket '{bucket}' is not the lake's bucket");
            }

            key = rest;
        }
        else if (path.Contains("://", StringComparison.Ordinal))
        {
            throw new LakePathException(path, Root, "not an s3:// location");
        }
        else
        {
            key = _prefix + path.TrimStart('/');
        }

        if (key.Split('/').Any(s => s is ".." or "."))
        {
            throw new LakePathException(path, Root, "'.' and '..' segments are not allowed");
        }

        if (_prefix.Length > 0 && !(key + "/").StartsWith(_prefix, StringComparison.Ordinal))
        {
            throw new LakePathException(path, Root, "outside the lake prefix");
        }

        return key;
    }

    /// <inheritdoc />
    public string Normalize(string path) => Location(ResolveKey(path).TrimEnd('/'));

    /// <inheritdoc />
    public async Task<LakeListing> ListAsync(string prefix, string? continuationToken = null, int pageSize = 1000,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var key = ResolveKey(prefix);
        var folder = key.Length == 0 || key.EndsWith('/') ? key : key + "/";
        // ListObjects (v1) pages by marker, the last key returned, which is also this storage's continuation
        // token; it works on every S3 implementation (s3rver cannot issue V2 continuation tokens on Node 20).
        var response = await _client.ListObjectsAsync(new ListObjectsRequest
        {
            BucketName = _bucket,
            Prefix = folder,
            Marker = continuationToken is null ? null : ResolveKey(continuationToken),
            MaxKeys = pageSize,
        }, cancellationToken);
        var listed = response.S3Objects ?? [];
        var objects = listed
            .Where(o => !o.Key.EndsWith('/'))
            .Select(o => new LakeObject(Location(o.Key), o.Size ?? 0, o.ETag?.Trim('"') ?? "",
                o.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue))
            .ToList();
        var next = response.IsTruncated == true && listed.Count > 0 ? Location(listed[^1].Key) : null;
        if (objects.Count == 0 && continuationToken is null && key.Length > 0 && !key.EndsWith('/')
            && await GetAsync(prefix, cancellationToken) is { } single)
        {
            objects.Add(single);
        }

        return new LakeListing(objects, next);
    }

    /// <inheritdoc />
    public async Task<LakeObject?> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        var key = ResolveKey(path);
        try
        {
            var metadata = await _client.GetObjectMetadataAsync(_bucket, key, cancellationToken);
            return new LakeObject(Location(key), metadata.ContentLength, metadata.ETag?.Trim('"') ?? "",
                metadata.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<byte[]> ReadAsync(string path, long offset, int length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var key = ResolveKey(path);
        if (offset < 0)
        {
            var size = (await GetAsync(path, cancellationToken) ?? throw NotFound(path)).Size;
            offset = Math.Max(0, size + offset);
        }

        if (length == 0)
        {
            return [];
        }

        try
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = _bucket,
                Key = key,
                ByteRange = new ByteRange(offset, offset + length - 1),
            }, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw NotFound(path);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return [];
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _client.GetObjectAsync(_bucket, ResolveKey(path), cancellationToken);
            return new ResponseOwningStream(response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw NotFound(path);
        }
    }

    /// <inheritdoc />
    public async Task<LakeObject> WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var key = ResolveKey(path);
        using var body = new MemoryStream(content.ToArray(), writable: false);
        // One PUT is atomic on S3: readers see the previous object or this one.
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = key,
            InputStream = body,
            UseChunkEncoding = false,
            AutoCloseStream = false,
        }, cancellationToken);
        return await GetAsync(path, cancellationToken) ?? throw NotFound(path);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        await _client.DeleteObjectAsync(_bucket, ResolveKey(path), cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private string Location(string key) => $"s3://{_bucket}/{key}";

    private static FileNotFoundException NotFound(string path) => new($"Lake file '{path}' does not exist.", path);

    private static (string Bucket, string Prefix) ParseRoot(string root)
    {
        var (bucket, prefix) = ParseLocation(root);
        return (bucket, prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/");
    }

    private static (string Bucket, string Key) ParseLocation(string root)
    {
        var scheme = root.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || root[..scheme] is not ("s3" or "s3a"))
        {
            throw new ArgumentException($"'{root}' is not an s3:// location.", nameof(root));
        }

        var rest = root[(scheme + 3)..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket.Length == 0)
        {
            throw new ArgumentException($"'{root}' names no bucket.", nameof(root));
        }

        return (bucket, prefix);
    }

    /// <summary>Disposes the GET response with the stream read from it.</summary>
    private sealed class ResponseOwningStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _inner = response.ResponseStream;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.ContentLength;
        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
