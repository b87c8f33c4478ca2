using System.Text.Json;
using System.Text.RegularExpressions;
using Streams.Catalog.Model;
using Streams.Catalog.Schemas;
using Streams.Formats.Model;

namespace Streams.Catalog.Classifiers;

/// <summary>
/// A custom JSON classifier (Glue <c>JsonClassifier</c>): the file is one JSON document and the JSON path
/// selects its records. Supported paths are member chains with an optional trailing <c>[*]</c>:
/// <c>$</c>, <c>$[*]</c>, <c>$.data</c>, <c>$.data.items[*]</c>, <c>$['my key'][*]</c>.
/// </summary>
public sealed partial class JsonPathClassifier : IClassifier
{
    // Custom JSON classification reads whole documents; larger files are reported, not truncated.
    private const int MaxDocumentBytes = 64 << 20;
    private readonly List<string> _members;
    private readonly bool _each;

    /// <summary>Creates the classifier from its definition.</summary>
    /// <exception cref="InvalidInputException">The JSON path is not supported.</exception>
    public JsonPathClassifier(JsonClassifierDefinition definition)
    {
        Name = definition.Name;
        (_members, _each) = ParsePath(definition.JsonPath);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task<Classification?> ClassifyAsync(FileSample sample, CancellationToken cancellationToken)
    {
        var first = sample.Text?.TrimStart();
        if (first is null || !(first.StartsWith('{') || first.StartsWith('[')))
        {
            return null;
        }

        if (sample.File.Size > MaxDocumentBytes)
        {
            throw new UnreadableFileException(sample.File.Path,
                $"the document is {sample.File.Size} bytes; JSON path classification reads at most {MaxDocumentBytes}.");
        }

        var bytes = sample.IsComplete ? sample.Head : await sample.ReadRangeAsync(0, (int)sample.File.Size, cancellationToken);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            // Not one document (JSON lines, say): not this classifier's format.
            return null;
        }

        using (document)
        {
            var node = document.RootElement;
            foreach (var member in _members)
            {
                if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(member, out node))
                {
                    return null;
                }
            }

            var records = _each
                ? node.ValueKind == JsonValueKind.Array ? node.EnumerateArray().ToList() : null
                : [node];
            if (records is null || records.Any(r => r.ValueKind != JsonValueKind.Object))
            {
                return null;
            }

            Schema? schema = null;
            foreach (var record in records)
            {
                schema = SchemaMerger.Merge(schema, JsonSchemaInference.Infer(record, "record"));
            }

            var result = JsonLinesClassifier.Result(schema, Name);
            return result with { Parameters = new Dictionary<string, string> { ["jsonPath"] = PathText() } };
        }
    }

    private string PathText() => "$" + string.Concat(_members.Select(m => $"['{m}']")) + (_each ? "[*]" : "");

    private static (List<string>, bool) ParsePath(string path)
    {
        var match = PathPattern().Match(path.Trim());
        if (!match.Success)
        {
            throw new InvalidInputException(
                $"JSON path '{path}' is not supported: use $, $[*], $.member.member or $.member[*] (members may be ['quoted']).");
        }

        var members = match.Groups["m"].Captures.Select(c => c.Value.StartsWith('[') ? c.Value[2..^2] : c.Value[1..]).ToList();
        return (members, match.Groups["each"].Success);
    }

    [GeneratedRegex(@"^\$(?<m>\.[A-Za-z_][A-Za-z0-9_]*|\['[^']+'\])*(?<each>\[\*\])?$")]
    private static partial Regex PathPattern();
}
