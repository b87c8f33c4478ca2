namespace Streams.Formats.Avro;

/// <summary>
/// A value cannot be written with a schema: wrong CLR type, no union branch accepts it, a fixed of the
/// wrong size, an unknown enum symbol... <see cref="Path"/> names the field, e.g. <c>Order.lines[].price</c>.
/// </summary>
public sealed class AvroValueException : Exception
{
    /// <summary>Creates the exception with a message and the path of the offending value.</summary>
    public AvroValueException(string message, string path, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>The path of the offending value in the datum, from the root schema.</summary>
    public string Path { get; }
}
