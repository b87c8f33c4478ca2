using Streams.Formats.Model;

namespace Streams.Formats;

/// <summary>Options for opening a record file through <see cref="RecordFiles"/>; each format uses what applies to it.</summary>
public sealed record RecordFileOptions
{
    /// <summary>
    /// For readers, the schema records are returned in: Avro resolves the file's schema to it; JSON lines,
    /// which carry no schema, need it. Writers take their schema as an argument instead.
    /// </summary>
    public Schema? Schema { get; init; }

    /// <summary>For writers, the compression codec by name (Avro: null, deflate, snappy); the format's default when null.</summary>
    public string? Codec { get; init; }

    /// <summary>The file name used in error messages (the path when opened by path).</summary>
    public string? FileName { get; init; }

    /// <summary>
    /// For readers of formats that carry no schema (JSON lines, CSV): when set, a record that does not fit the
    /// schema is reported here (with its file and line or row) and reading goes on with the next one; when null,
    /// the first such record ends reading with its <see cref="RecordFileException"/>. File-level problems
    /// (a missing CSV header column, invalid UTF-8) end reading either way.
    /// </summary>
    public Action<RecordFileException>? OnBadRecord { get; init; }
}
