namespace Streams.Formats.Avro.Resolution;

/// <summary>
/// One reason why data written with one schema cannot (always) be read with another.
/// </summary>
/// <param name="Path">
/// The node of the reader's schema concerned, in <c>SchemaPath</c> notation, e.g. <c>com.acme.Order.lines[].price</c>.
/// </param>
/// <param name="Message">What is wrong, naming both sides, e.g.
/// <c>reader field 'x' at com.acme.Order.x has no default and is missing from the writer</c>.</param>
public sealed record SchemaIncompatibility(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}
