namespace Streams.Formats.Csv;

/// <summary>How a delimited text file is laid out (RFC 4180 by default).</summary>
public sealed record CsvOptions
{
    /// <summary>RFC 4180: comma separated, double-quoted, with a header row.</summary>
    public static CsvOptions Default { get; } = new();

    /// <summary>The field separator, e.g. <c>,</c> or <c>\t</c>.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>The quote character; a quote inside a quoted field is written twice.</summary>
    public char Quote { get; init; } = '"';

    /// <summary>True when the first row names the columns.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>
    /// Field text that means null when converting to a nullable type. The empty string by default, so that
    /// <c>a,,c</c> has a null second field.
    /// </summary>
    public string NullValue { get; init; } = "";
}
