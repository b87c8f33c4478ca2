namespace Streams.Formats.Model;

/// <summary>A schema is invalid. <see cref="Path"/> names the offending node, e.g. <c>com.acme.Order.lines[].price</c>.</summary>
public sealed class SchemaException : Exception
{
    /// <summary>Creates the exception with a message and the path of the node it is about.</summary>
    public SchemaException(string message, string path)
        : base(message)
    {
        Path = path;
    }

    /// <summary>The path of the offending node in the schema.</summary>
    public string Path { get; }
}
