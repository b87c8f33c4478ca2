using System.Text.Json;
using Streams.Catalog.Schemas;
using Streams.Formats.Model;

namespace Streams.Catalog.Classifiers;

/// <summary>
/// JSON lines: one JSON object per line. Recognised when the first non-blank character is <c>{</c>; the
/// schema merges the sampled records. A line that is not valid JSON makes the file unreadable (with its
/// line number). A whole-file JSON document (pretty-printed object or array of objects) is read as its records.
/// </summary>
public sealed class JsonLinesClassifier : IClassifier
{
    /// <summary>The classification name.</summary>
    public const string Format = "json";

    /// <inheritdoc />
    public string Name => Format;

    /// <inheritdoc />
    public Task<Classification?> ClassifyAsync(FileSample sample, CancellationToken cancellationToken)
    {
        var text = sample.Text;
        var trimmed = text?.TrimStart();
        if (trimmed is null || !(trimmed.StartsWith('{') || (trimmed.StartsWith('[') && sample.IsComplete)))
        {
            return Task.FromResult<Classification?>(null);
        }

        if (trimmed.StartsWith('[') || !LooksLikeLines(trimmed))
        {
            return Task.FromResult<Classification?>(WholeDocument(sample, text!));
        }

        Schema? schema = null;
        var lineNumber = 0;
        foreach (var line in text!.Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new UnreadableFileException(sample.File.Path, $"line {lineNumber}: expected a JSON object, found {document.RootElement.ValueKind}.");
                }

                schema = SchemaMerger.Merge(schema, JsonSchemaInference.Infer(document.RootElement, "record"));
            }
            catch (JsonException e)
            {
                throw new UnreadableFileException(sample.File.Path,
                    $"line {lineNumber}, byte {e.BytePositionInLine}: invalid JSON: {e.Message}", e);
            }
        }

        return Task.FromResult<Classification?>(Result(schema, Name));
    }

    /// <summary>A classification for JSON records with schema <paramref name="schema"/>.</summary>
    internal static Classification Result(Schema? schema, string classifierName) => new(
        Format,
        schema as RecordSchema ?? new RecordSchema(new SchemaName("record", null), []),
        new Dictionary<string, string>(),
        classifierName);

    private static bool LooksLikeLines(string text)
    {
        // A JSON-lines file's first line is a complete object; a pretty-printed document's is not.
        var firstLine = text.Split('\n', 2)[0];
        try
        {
            using var _ = JsonDocument.Parse(firstLine);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Classification WholeDocument(FileSample sample, string text)
    {
        if (!sample.IsComplete)
        {
            throw new UnreadableFileException(sample.File.Path,
                $"line 1: the first line is not a complete JSON object and the file ({sample.File.Size} bytes) is larger than the sample.");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            Schema? schema = null;
            var root = document.RootElement;
            var records = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            foreach (var record in records)
            {
                if (record.ValueKind != JsonValueKind.Object)
                {
                    throw new UnreadableFileException(sample.File.Path, $"expected JSON objects, found {record.ValueKind}.");
                }

                schema = SchemaMerger.Merge(schema, JsonSchemaInference.Infer(record, "record"));
            }

            return Result(schema, Format);
        }
        catch (JsonException e)
        {
            throw new UnreadableFileException(sample.File.Path,
                $"line {e.LineNumber + 1}, byte {e.BytePositionInLine}: invalid JSON: {e.Message}", e);
        }
    }
}
