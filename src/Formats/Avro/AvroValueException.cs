namespace Streams.Formats.Avro;

/// <summary>
/// A value does not fit its Avro schema, or encoded Avro data (JSON or binary) is invalid.
/// <see cref="Path"/> names the value inside the datum, e.g. <c>lines[2].price</c> (empty for the datum itself).
/// </summary>
public sealed class AvroValueException : Exception
{
    /// <summary>Creates the exception with a message and the path of the offending value.</summary>
    public AvroValueException(string message, string path)
        : base(path.Length == 0 ? message : $"{message} (at {path})")
    {
        Reason = message;
        Path = path;
    }

    /// <summary>The path of the offending value inside the datum; empty for the datum itself.</summary>
    public string Path { get; }

    /// <summary>The message without the path.</summary>
    public string Reason { get; }
}
