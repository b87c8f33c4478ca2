using System.Globalization;
using System.Text.RegularExpressions;
using Streams.Catalog.Model;
using Streams.Catalog.Schemas;
using Streams.Formats.Csv;
using Streams.Formats.Model;

namespace Streams.Catalog.Classifiers;

/// <summary>
/// Delimited text. The built-in classifier tries the delimiters <c>,</c> <c>\t</c> <c>|</c> <c>;</c> and claims
/// the file when one of them splits every sampled row into the same number (two or more) of fields; a custom
/// one (Glue <c>CsvClassifier</c>) fixes the delimiter, quote and header. A header is detected when every
/// first-row value is a name-like string and some later value in a column is not (as Glue does); without
/// one, columns are named <c>col0</c>, <c>col1</c>, ... Column types are inferred from the values: empty is
/// null; then boolean, int, bigint, double, else string, merged down the rows.
/// </summary>
public sealed partial class CsvClassifier : IClassifier
{
    /// <summary>The classification name.</summary>
    public const string Format = "csv";

    private static readonly char[] CandidateDelimiters = [',', '\t', '|', ';'];
    private readonly CsvClassifierDefinition? _custom;

    /// <summary>Creates the built-in classifier, or a custom one from its definition.</summary>
    public CsvClassifier(CsvClassifierDefinition? custom = null)
    {
        _custom = custom;
        Name = custom?.Name ?? Format;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Task<Classification?> ClassifyAsync(FileSample sample, CancellationToken cancellationToken)
    {
        var text = sample.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Task.FromResult<Classification?>(null);
        }

        var quote = string.IsNullOrEmpty(_custom?.QuoteSymbol) ? '"' : _custom.QuoteSymbol[0];
        var delimiters = string.IsNullOrEmpty(_custom?.Delimiter) ? CandidateDelimiters : [_custom.Delimiter[0]];
        var minimumColumns = _custom?.AllowSingleColumn == true ? 1 : 2;
        List<List<string>>? best = null;
        var bestDelimiter = ',';
        CsvFormatException? corrupt = null;
        foreach (var delimiter in delimiters)
        {
            var (rows, error) = Split(text, sample.File.Path, delimiter, quote);
            var consistent = rows.Count > 0 && rows[0].Count >= minimumColumns && rows.All(r => r.Count == rows[0].Count);
            if (error is not null)
            {
                // Rows that agree before a malformed one: the file is this format, and corrupt.
                if (consistent && corrupt is null)
                {
                    corrupt = error;
                }

                continue;
            }

            if (consistent && (best is null || rows[0].Count > best[0].Count))
            {
                best = rows;
                bestDelimiter = delimiter;
            }
        }

        if (best is null)
        {
            return corrupt is null
                ? Task.FromResult<Classification?>(null)
                : throw new UnreadableFileException(sample.File.Path, corrupt.Message, corrupt);
        }

        return Task.FromResult<Classification?>(Infer(best, bestDelimiter, quote));
    }

    private static (List<List<string>> Rows, CsvFormatException? Error) Split(string text, string file, char delimiter, char quote)
    {
        var rows = new List<List<string>>();
        using var reader = new CsvReader(new StringReader(text), file,
            CsvOptions.Default with { Delimiter = delimiter, Quote = quote, HasHeader = false });
        try
        {
            var fields = new List<string>();
            while (reader.ReadRow(fields))
            {
                if (fields.Count == 1 && fields[0].Length == 0)
                {
                    continue; // blank line
                }

                rows.Add([.. fields]);
            }

            return (rows, null);
        }
        catch (CsvFormatException e)
        {
            return (rows, e);
        }
    }

    private Classification Infer(List<List<string>> rows, char delimiter, char quote)
    {
        var width = rows[0].Count;
        var hasHeader = _custom?.ContainsHeader switch
        {
            "PRESENT" => true,
            "ABSENT" => false,
            _ => _custom?.Header is { Count: > 0 } ? false : DetectHeader(rows),
        };
        var names = _custom?.Header is { Count: > 0 } header && header.Count == width
            ? header
            : hasHeader
                ? rows[0].Select((n, i) => n.Trim() is { Length: > 0 } t ? t : $"col{i}").ToList()
                : Enumerable.Range(0, width).Select(i => $"col{i}").ToList();
        var data = hasHeader ? rows.Skip(1) : rows;
        var types = new Schema?[width];
        foreach (var row in data)
        {
            for (var i = 0; i < width; i++)
            {
                types[i] = SchemaMerger.Merge(types[i], ValueSchema(row[i]));
            }
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var fields = names.Select((n, i) => new Field(seen.Add(n) ? n : $"{n}_{i}",
            types[i] is null or { IsNull: true } ? UnionSchema.Nullable(PrimitiveSchema.String) : types[i]!)).ToList();
        var parameters = new Dictionary<string, string>
        {
            ["delimiter"] = delimiter.ToString(),
            ["quoteChar"] = quote.ToString(),
            ["skip.header.line.count"] = hasHeader ? "1" : "0",
        };
        return new Classification(Format, new RecordSchema(new SchemaName("record", null), fields), parameters, Name);
    }

    private static bool DetectHeader(List<List<string>> rows)
    {
        var first = rows[0];
        if (!first.All(v => HeaderName().IsMatch(v.Trim())) || first.Distinct(StringComparer.OrdinalIgnoreCase).Count() != first.Count)
        {
            return false;
        }

        if (rows.Count == 1)
        {
            return true;
        }

        // Glue's rule: a header is all strings above at least one column that is not all strings.
        for (var column = 0; column < first.Count; column++)
        {
            if (rows.Skip(1).Any(r => r[column].Length > 0 && ValueSchema(r[column]).Type != SchemaType.String))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The schema of one CSV value: null, boolean, int, bigint, double or string.</summary>
    public static Schema ValueSchema(string value)
    {
        if (value.Length == 0)
        {
            return PrimitiveSchema.Null;
        }

        var invariant = CultureInfo.InvariantCulture;
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out _))
        {
            return PrimitiveSchema.Int;
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out _))
        {
            return PrimitiveSchema.Long;
        }

        if (double.TryParse(value, NumberStyles.Float, invariant, out _) && !value.Contains("Infinity", StringComparison.OrdinalIgnoreCase)
            && !value.Contains("NaN", StringComparison.OrdinalIgnoreCase))
        {
            return PrimitiveSchema.Double;
        }

        return value is "true" or "false" or "TRUE" or "FALSE" or "True" or "False" ? PrimitiveSchema.Boolean : PrimitiveSchema.String;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_ .\-]*$")]
    private static partial Regex HeaderName();
}
