using System.Globalization;
using System.Text;
using System.Text.Json;
using Streams.Catalog;
using Streams.Catalog.Model;
using Streams.Catalog.Store;

namespace Streams.Api.Glue;

/// <summary>The JSON body of one Glue API call, with typed access to its members.</summary>
public sealed class GlueRequest(string operation, JsonElement body)
{
    /// <summary>The operation, e.g. <c>GetTable</c>.</summary>
    public string Operation { get; } = operation;

    /// <summary>A required string member.</summary>
    /// <exception cref="InvalidInputException">The member is missing or not a string.</exception>
    public string String(string name) =>
        OptionalString(name) ?? throw new InvalidInputException($"{Operation}: {name} is required.");

    /// <summary>An optional string member.</summary>
    public string? OptionalString(string name) =>
        Member(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } e => e.GetString(),
            _ => throw new InvalidInputException($"{Operation}: {name} must be a string."),
        };

    /// <summary>A required member of a shape type.</summary>
    public T Get<T>(string name) where T : class =>
        Optional<T>(name) ?? throw new InvalidInputException($"{Operation}: {name} is required.");

    /// <summary>An optional member of a shape type.</summary>
    public T? Optional<T>(string name) where T : class
    {
        if (Member(name) is not { } element)
        {
            return null;
        }

        try
        {
            return element.Deserialize<T>(CatalogJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{Operation}: {name} is malformed: {e.Message}");
        }
    }

    /// <summary>The whole body as a shape type (operations whose input is the shape itself, such as <c>CreateJob</c>).</summary>
    public T Body<T>() where T : class
    {
        try
        {
            return body.Deserialize<T>(CatalogJson.Options) ?? throw new InvalidInputException($"{Operation}: the request body is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{Operation}: the request is malformed: {e.Message}");
        }
    }

    /// <summary>An optional integer member.</summary>
    public int? OptionalInt(string name) =>
        Member(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out var value) => value,
            _ => throw new InvalidInputException($"{Operation}: {name} must be an integer."),
        };

    /// <summary>An optional boolean member.</summary>
    public bool Bool(string name) => Member(name) is { ValueKind: JsonValueKind.True };

    /// <summary>The page size: <c>MaxResults</c> if given (1..<paramref name="max"/>), else <paramref name="max"/>.</summary>
    public int MaxResults(int max)
    {
        if (Member("MaxResults") is not { } element)
        {
            return max;
        }

        if (!element.TryGetInt32(out var value) || value < 1 || value > max)
        {
            throw new InvalidInputException($"{Operation}: MaxResults must be between 1 and {max}.");
        }

        return value;
    }

    /// <summary>
    /// The <c>Segment</c> of a parallel <c>GetPartitions</c>, or null for all partitions. As in Glue, <c>TotalSegments</c>
    /// is 1..10 and <c>SegmentNumber</c> 0..TotalSegments-1.
    /// </summary>
    /// <exception cref="InvalidInputException">Either number is missing, not an integer, or out of range.</exception>
    public PartitionSegment? Segment()
    {
        if (Member("Segment") is not { } segment)
        {
            return null;
        }

        if (segment.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInputException($"{Operation}: Segment must be an object with SegmentNumber and TotalSegments.");
        }

        return new PartitionSegment(SegmentMember(segment, "SegmentNumber"), SegmentMember(segment, "TotalSegments"));
    }

    private int SegmentMember(JsonElement segment, string name) =>
        segment.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value)
            ? value
            : throw new InvalidInputException($"{Operation}: Segment.{name} is required and must be an integer.");

    /// <summary>The offset encoded in <c>NextToken</c>, or 0.</summary>
    public int Offset()
    {
        var token = OptionalString("NextToken");
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(TokenPrefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidInputException($"{Operation}: NextToken is not a token this API issued.");
    }

    /// <summary>The <c>NextToken</c> for a page that continues at <paramref name="offset"/>.</summary>
    public static string? Token(int? offset) =>
        offset is { } o ? Convert.ToBase64String(Encoding.UTF8.GetBytes(TokenPrefix + o.ToString(CultureInfo.InvariantCulture))) : null;

    private const string TokenPrefix = "offset:";

    private JsonElement? Member(string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;
}
