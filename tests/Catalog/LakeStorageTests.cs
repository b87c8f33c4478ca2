using System.Text;
using Streams.Catalog.Storage;

namespace Streams.Catalog.Tests;

/// <summary>The same behaviour checks for both lake storages: a local directory and S3 (s3rver).</summary>
public abstract class LakeStorageTests
{
    protected abstract ILakeStorage Storage { get; }

    protected abstract string Location(string relative);

    protected abstract string Outside { get; }

    [Fact]
    public async Task Writes_reads_ranges_and_describes_files()
    {
        var path = Location("t1/data/file.bin");
        var content = Encoding.ASCII.GetBytes("0123456789abcdef");
        var written = await Storage.WriteAsync(path, content);
        written.Size.Should().Be(16);
        written.ETag.Should().NotBeNullOrEmpty();
        written.LastModified.Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(-5));

        (await Storage.ReadAsync(path, 4, 3)).Should().Equal(Encoding.ASCII.GetBytes("456"));
        (await Storage.ReadAsync(path, -4, 4)).Should().Equal(Encoding.ASCII.GetBytes("cdef"));
        (await Storage.ReadAsync(path, 14, 10)).Should().Equal(Encoding.ASCII.GetBytes("ef"));
        await using (var stream = await Storage.OpenReadAsync(path))
        {
            using var reader = new StreamReader(stream);
            (await reader.ReadToEndAsync()).Should().Be("0123456789abcdef");
        }

        var rewritten = await Storage.WriteAsync(path, Encoding.ASCII.GetBytes("changed"));
        rewritten.ETag.Should().NotBe(written.ETag);
        (await Storage.GetAsync(path))!.Size.Should().Be(7);
        await Storage.DeleteAsync(path);
        (await Storage.GetAsync(path)).Should().BeNull();
    }

    [Fact]
    public async Task Lists_a_prefix_in_pages()
    {
        for (var i = 0; i < 7; i++)
        {
            await Storage.WriteAsync(Location($"t2/year=2024/part-{i}.csv"), Encoding.ASCII.GetBytes($"row {i}\n"));
        }

        await Storage.WriteAsync(Location("t2-other/x.csv"), "x"u8.ToArray());
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Storage.ListAsync(Location("t2"), token, pageSize: 3);
            page.Objects.Count.Should().BeLessThanOrEqualTo(3);
            seen.AddRange(page.Objects.Select(o => o.Path));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        pages.Should().Be(3);
        seen.Should().HaveCount(7).And.BeInAscendingOrder(StringComparer.Ordinal)
            .And.AllSatisfy(p => p.Should().StartWith(Location("t2/year=2024/part-")));
    }

    [Fact]
    public async Task Refuses_paths_outside_the_root()
    {
        var outside = () => Storage.WriteAsync(Outside, "x"u8.ToArray());
        (await outside.Should().ThrowAsync<LakePathException>()).Which.Path.Should().Be(Outside);
        var traversal = () => Storage.ListAsync(Location("t3/../../escape"));
        await traversal.Should().ThrowAsync<LakePathException>();
    }
}

public sealed class LocalLakeStorageTests : LakeStorageTests, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lake-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly LocalLakeStorage _storage;

    public LocalLakeStorageTests() => _storage = new LocalLakeStorage(_root);

    protected override ILakeStorage Storage => _storage;

    protected override string Location(string relative) => Path.Combine(_root, relative);

    protected override string Outside => Path.Combine(Path.GetTempPath(), "not-the-lake", "x.csv");

    [Fact]
    public async Task A_write_in_progress_is_not_listed_and_leaves_no_temporary_file()
    {
        await _storage.WriteAsync(Location("t4/a.json"), "{}"u8.ToArray());
        Directory.GetFiles(Location("t4")).Select(Path.GetFileName).Should().Equal("a.json");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

public sealed class S3LakeStorageTests(S3rverFixture s3) : LakeStorageTests, IClassFixture<S3rverFixture>, IDisposable
{
    private readonly S3LakeStorage _storage = new($"s3://{S3rverFixture.Bucket}/root", new S3Options
    {
        ServiceUrl = s3.ServiceUrl,
        AccessKey = "S3RVER",
        SecretKey = "S3RVER",
        ForcePathStyle = true,
    });

    protected override ILakeStorage Storage => _storage;

    protected override string Location(string relative) => $"s3://{S3rverFixture.Bucket}/root/{relative}";

    protected override string Outside => $"s3://{S3rverFixture.Bucket}/elsewhere/x.csv";

    [Fact]
    public async Task Refuses_another_bucket()
    {
        var other = () => _storage.GetAsync("s3://other-bucket/root/x.csv");
        await other.Should().ThrowAsync<LakePathException>();
    }

    public void Dispose() => _storage.Dispose();
}
