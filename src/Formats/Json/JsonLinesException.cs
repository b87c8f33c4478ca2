namespace Streams.Formats.Json;

/// <summary>A line of a JSON lines file is not JSON, or not a record of the target schema.</summary>
public sealed class JsonLinesException : RecordFileException
{
    /// <summary>Creates the exception.</summary>
    public JsonLinesException(string reason, string? fileName, long line, string path, Exception? innerException = null)
        : base(Describe(reason, fileName, line, path), fileName, innerException)
    {
        Reason = reason;
        Line = line;
        Path = path;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>The one-based line number.</summary>
    public long Line { get; }

    /// <summary>The path of the offending value in the record (e.g. <c>lines[2].price</c>), empty for the line itself.</summary>
    public string Path { get; }

    private static string Describe(string reason, string? fileName, long line, string path) =>
        $"{fileName ?? "JSON lines"}: line {line}{(path.Length == 0 ? "" : $", field {path}")}: {reason}";
}
