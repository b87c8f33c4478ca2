namespace Streams.Formats.Tests.Csv;

/// <summary>
/// Hands out a text in chunks of random sizes, as a stream reader does at its block boundaries, so that a reader's
/// refills land at every kind of position: inside quotes, between a quote and its double, between CR and LF.
/// </summary>
internal sealed class ChunkedTextReader(string text, int maxChunk, int seed) : TextReader
{
    private readonly Random _random = new(seed);
    private int _position;

    public override int Peek() => _position < text.Length ? text[_position] : -1;

    public override int Read() => _position < text.Length ? text[_position++] : -1;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        var count = Math.Min(Math.Min(buffer.Length, text.Length - _position), _random.Next(1, maxChunk + 1));
        text.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }
}
