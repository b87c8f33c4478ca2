namespace Streams.Formats;

/// <summary>
/// A file written under a hidden temporary name beside its target and moved into place only by
/// <see cref="Commit"/>, so that a write that fails half way leaves no partial file behind (nor replaces a
/// good one). Disposing without committing deletes the temporary file. The temporary name keeps the target's
/// extension, so the format chosen by extension is the same.
/// </summary>
public sealed class StagedFile : IDisposable
{
    private bool _committed;

    /// <summary>Stages a write of <paramref name="path"/>.</summary>
    public StagedFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        TemporaryPath = System.IO.Path.Combine(directory,
            $".{System.IO.Path.GetFileNameWithoutExtension(Path)}.partial-{Guid.NewGuid():N}{System.IO.Path.GetExtension(Path)}");
    }

    /// <summary>Where the file ends up.</summary>
    public string Path { get; }

    /// <summary>Where it is written until <see cref="Commit"/>.</summary>
    public string TemporaryPath { get; }

    /// <summary>Moves the written file into place, replacing any file there. Close every writer of it first.</summary>
    public void Commit()
    {
        File.Move(TemporaryPath, Path, overwrite: true);
        _committed = true;
    }

    /// <summary>Deletes the temporary file unless it was committed.</summary>
    public void Dispose()
    {
        if (!_committed)
        {
            try
            {
                File.Delete(TemporaryPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: the hidden name says what it is; the error that failed the write is the one to report.
            }
        }
    }
}
