using System.Text;
using Streams.Catalog.Storage;

namespace Streams.Catalog.Classifiers;

/// <summary>
/// The part of a lake file a classifier looks at: its first bytes (up to the sample size) and a way to read
/// other ranges (a Parquet footer, the rest of an Avro file).
/// </summary>
public sealed class FileSample
{
    private readonly ILakeStorage _storage;

    /// <summary>Creates a sample of <paramref name="file"/> whose first bytes are <paramref name="head"/>.</summary>
    public FileSample(ILakeStorage storage, LakeObject file, byte[] head)
    {
        _storage = storage;
        File = file;
        Head = head;
    }

    /// <summary>Reads the first <paramref name="sampleBytes"/> bytes of <paramref name="file"/>.</summary>
    public static async Task<FileSample> ReadAsync(ILakeStorage storage, LakeObject file, int sampleBytes,
        CancellationToken cancellationToken) =>
        new(storage, file, await storage.ReadAsync(file.Path, 0, (int)Math.Min(sampleBytes, file.Size), cancellationToken));

    /// <summary>The file.</summary>
    public LakeObject File { get; }

    /// <summary>The first bytes of the file.</summary>
    public byte[] Head { get; }

    /// <summary>True when <see cref="Head"/> is the whole file.</summary>
    public bool IsComplete => Head.Length >= File.Size;

    /// <summary>Reads a byte range of the file (a negative offset counts from the end).</summary>
    public Task<byte[]> ReadRangeAsync(long offset, int length, CancellationToken cancellationToken) =>
        _storage.ReadAsync(File.Path, offset, length, cancellationToken);

    /// <summary>A seekable stream over the file that reads only the ranges asked for.</summary>
    public Stream OpenSeekable() => IsComplete ? new MemoryStream(Head, writable: false) : new LakeFileStream(_storage, File);

    /// <summary>Opens the whole file.</summary>
    public Task<Stream> OpenAsync(CancellationToken cancellationToken) => _storage.OpenReadAsync(File.Path, cancellationToken);

    /// <summary>
    /// The head as UTF-8 text, cut after the last line break unless the head is the whole file (so that no
    /// partial line is sampled); <c>null</c> when the bytes are not text (a NUL byte or invalid UTF-8).
    /// </summary>
    public string? Text => _text ??= DecodeText();

    private string? _text;

    private string? DecodeText()
    {
        var bytes = Head.AsSpan();
        if (!IsComplete)
        {
            var lastBreak = bytes.LastIndexOf((byte)'\n');
            bytes = lastBreak < 0 ? [] : bytes[..(lastBreak + 1)];
        }

        if (bytes.Contains((byte)0))
        {
            return null;
        }

        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
