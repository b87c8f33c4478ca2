using System.Globalization;
using System.Text;
using System.Text.Json;
using Streams.Formats.Csv;
using Streams.Formats.Model;
using Streams.Formats.Tests.Csv.Oracle;

namespace Streams.Formats.Tests.Csv;

/// <summary>
/// Compares <see cref="CsvReader"/>, <see cref="CsvValueConverter"/> and <see cref="CsvFieldConverter"/> with the character-at-a-time implementations they
/// replaced (<see cref="CharByCharCsvReader"/>, <see cref="StringCsvValueConverter"/>) on generated input: every row, every
/// error (message, row, column) and where reading resumes after one must be the same.
/// </summary>
public sealed class CsvReaderDifferentialTests
{
    private static readonly string[] Unicode = ["é", "汉字", "😀", "ß", "Ω≈", "\u00a0", "🇫🇷"];

    public static TheoryData<int, char, char> Seeds()
    {
        var data = new TheoryData<int, char, char>();
        for (var seed = 1; seed <= 12; seed++)
        {
            data.Add(seed, ',', '"');
        }

        data.Add(101, '\t', '\'');
        data.Add(102, ';', '"');
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Generated_documents_read_as_the_character_at_a_time_reader_reads_them(int seed, char delimiter, char quote)
    {
        var random = new Random(seed);
        var options = CsvOptions.Default with { Delimiter = delimiter, Quote = quote };
        var malformed = 0;
        for (var document = 0; document < 40; document++)
        {
            var text = Document(random, delimiter, quote, longFields: document % 8 == 0);
            var expected = Outcomes(text, options);
            malformed += expected.Count(o => o.StartsWith("error", StringComparison.Ordinal));
            // Chunks from one character (a refill at every position) up to more than the reader's buffer.
            var maxChunk = document % 3 == 0 ? random.Next(1, 8) : random.Next(1, 40_000);
            var context = $"document {document} of seed {seed} (max chunk {maxChunk}), {JsonSerializer.Serialize(Shorten(text))}";
            Match(Outcomes(new CsvReader(new ChunkedTextReader(text, maxChunk, seed * 1000 + document), "gen.csv", options), rows: true),
                expected, context);
            Match(Outcomes(new CsvReader(new StringReader(text), "gen.csv", options), rows: false), expected, context + " by spans");
        }

        malformed.Should().BePositive("the generated documents include malformed rows");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\r\n")]
    [InlineData("\n\n\r\r\n")]
    [InlineData("a")]
    [InlineData("a,")]
    [InlineData(",")]
    [InlineData("\"\"")]
    [InlineData("\"a\"")]
    [InlineData("\"a\"\r")]
    [InlineData("\"a\"\"\"")]
    [InlineData("\"a\"\"")]
    [InlineData("\"")]
    [InlineData("a\"")]
    [InlineData("\"a\"b,c\nd")]
    [InlineData("a,b\"c,d\ne")]
    [InlineData("\"x\"\"\ny\"\r\n\"\"\"\"")]
    [InlineData("a\r\r\nb\n\rc")]
    [InlineData("\"open\nrow,\"\"x\"\"")]
    public void Edge_cases_read_as_the_character_at_a_time_reader_reads_them(string text)
    {
        var expected = Outcomes(text, CsvOptions.Default);
        for (var maxChunk = 1; maxChunk <= 3; maxChunk++)
        {
            Match(Outcomes(new CsvReader(new ChunkedTextReader(text, maxChunk, maxChunk), "gen.csv"), rows: true), expected,
                $"max chunk {maxChunk}");
        }

        Match(Outcomes(new CsvReader(new StringReader(text), "gen.csv"), rows: false), expected, "by spans");
    }

    [Fact]
    public void Numbers_and_other_values_convert_as_the_string_converter_converts_them_alone_and_by_column()
    {
        var random = new Random(7);
        var texts = new List<string>
        {
            "", "0", "-0", "+0", "007", "123456789", "1234567890", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "999999999999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "00000000000000000001",
            "+5", "-5", " 5", "5 ", "5\t", "1e3", "1.5", ".5", "5.", "-", "+", "--1", "1,000", "١٢", "１２", "NaN", "Infinity", "-Infinity",
            "∞", "true", "True", "FALSE", " true ", "abc", "null", "NULL", new string('x', 50), "2024-02-29", "2023-02-29", "2024-13-01",
            "2024-01-01T10:20:30Z", "2024-01-01 10:20:30", "b5f3a4b2-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "12.345", "12.34", "-0.01", "AAEC",
            "AAE", "é", "1_000", "0x10", "1E400", "4.9E-324",
        };
        for (var i = 0; i < 3000; i++)
        {
            texts.Add(NumberLike(random));
            texts.Add(DecimalLike(random));
        }

        Schema[] schemas =
        [
            PrimitiveSchema.Int, PrimitiveSchema.Long, PrimitiveSchema.Double, PrimitiveSchema.Float, PrimitiveSchema.Boolean,
            PrimitiveSchema.String, PrimitiveSchema.Bytes, UnionSchema.Nullable(PrimitiveSchema.String),
            UnionSchema.Nullable(PrimitiveSchema.Long), new UnionSchema([PrimitiveSchema.Int, PrimitiveSchema.String]),
            new UnionSchema([PrimitiveSchema.Null, PrimitiveSchema.Double, PrimitiveSchema.Int]),
            new UnionSchema([PrimitiveSchema.Int, PrimitiveSchema.Null]), UnionSchema.Nullable(PrimitiveSchema.Double), PrimitiveSchema.Null,
            new EnumSchema(new SchemaName("Suit", null), ["true", "abc", "NULL"]),
            new PrimitiveSchema(SchemaType.Int, LogicalType.Date), new PrimitiveSchema(SchemaType.String, LogicalType.Uuid),
            new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMillis), new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMicros),
            new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(10, 2)),
        ];
        var accepted = 0;
        foreach (var schema in schemas)
        {
            foreach (var nullValue in new[] { "", "NULL" })
            {
                var column = new CsvFieldConverter(schema, nullValue);
                foreach (var text in texts)
                {
                    var expected = Conversion(() => StringCsvValueConverter.Convert(text, schema, nullValue));
                    Conversion(() => CsvValueConverter.Convert(text.AsSpan(), schema, nullValue))
                        .Should().Be(expected, $"'{text}' as {schema.DisplayName} (null '{nullValue}')");
                    Conversion(() => CsvValueConverter.Convert(text, schema, nullValue)).Should().Be(expected);
                    Conversion(() => column.Convert(text)).Should().Be(expected, $"'{text}' in a column of {schema.DisplayName} (null '{nullValue}')");
                    accepted += expected.StartsWith("value", StringComparison.Ordinal) ? 1 : 0;
                }
            }
        }

        accepted.Should().BePositive();
    }

    private const string FieldsBefore = " fields before it: ";

    /// <summary>Fails at the first call whose outcome differs, showing both (shortened), or when one reader makes more calls.</summary>
    private static void Match(List<string> actual, List<string> expected, string context)
    {
        for (var i = 0; i < Math.Min(actual.Count, expected.Count); i++)
        {
            var wanted = actual[i].Contains(FieldsBefore, StringComparison.Ordinal) || !expected[i].StartsWith("error", StringComparison.Ordinal)
                ? expected[i]
                : expected[i][..expected[i].IndexOf(FieldsBefore, StringComparison.Ordinal)];
            Shorten(actual[i]).Should().Be(Shorten(wanted), $"call {i + 1} of {context} reads so (both shortened)");
            actual[i].Should().Be(wanted, $"call {i + 1} of {context} reads so");
        }

        actual.Should().HaveSameCount(expected, context);
    }

    /// <summary>What the oracle makes of <paramref name="text"/>, call by call.</summary>
    private static List<string> Outcomes(string text, CsvOptions options)
    {
        using var oracle = new CharByCharCsvReader(new StringReader(text), "gen.csv", options);
        var outcomes = new List<string>();
        var fields = new List<string>();
        for (var call = 0; call <= text.Length + 2; call++)
        {
            try
            {
                if (!oracle.ReadRow(fields))
                {
                    outcomes.Add($"end {oracle.Row} {oracle.EndedInsideQuotes}");
                    return outcomes;
                }

                outcomes.Add($"row {oracle.Row} {JsonSerializer.Serialize(fields)}");
            }
            catch (CsvFormatException e)
            {
                outcomes.Add($"error {e.Message} | {e.Row} {e.Column} {oracle.EndedInsideQuotes}{FieldsBefore}{JsonSerializer.Serialize(fields)}");
            }
        }

        throw new InvalidOperationException("The oracle did not reach the end of the input.");
    }

    /// <summary>What <paramref name="reader"/> makes of its input, call by call, through its string or its span API.</summary>
    private static List<string> Outcomes(CsvReader reader, bool rows)
    {
        using var _ = reader;
        var outcomes = new List<string>();
        var fields = new List<string>();
        for (var call = 0; call < 1_000_000; call++)
        {
            try
            {
                bool more;
                if (rows)
                {
                    more = reader.ReadRow(fields);
                }
                else
                {
                    fields.Clear();
                    more = reader.Read();
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        fields.Add(reader.GetField(i).ToString());
                    }
                }

                if (!more)
                {
                    outcomes.Add($"end {reader.Row} {reader.EndedInsideQuotes}");
                    return outcomes;
                }

                outcomes.Add($"row {reader.Row} {JsonSerializer.Serialize(fields)}");
            }
            catch (CsvFormatException e)
            {
                // The span API says nothing about the fields before the bad one; the list API keeps them as the oracle does.
                outcomes.Add($"error {e.Message} | {e.Row} {e.Column} {reader.EndedInsideQuotes}" +
                    (rows ? FieldsBefore + JsonSerializer.Serialize(fields) : ""));
            }
        }

        throw new InvalidOperationException("The reader did not reach the end of the input.");
    }

    private static string Document(Random random, char delimiter, char quote, bool longFields)
    {
        var text = new StringBuilder();
        var rows = random.Next(0, 30);
        string[] endings = ["\r\n", "\n", "\r"];
        for (var row = 0; row < rows; row++)
        {
            var columns = random.Next(1, 7);
            for (var column = 0; column < columns; column++)
            {
                if (column > 0)
                {
                    text.Append(delimiter);
                }

                text.Append(Field(random, delimiter, quote, longFields));
            }

            if (row < rows - 1 || random.Next(3) > 0)
            {
                text.Append(endings[random.Next(endings.Length)]);
            }
        }

        if (random.Next(12) == 0)
        {
            text.Append(quote).Append("never closed\n").Append(delimiter).Append(quote, 2); // ends inside quotes
        }

        return text.ToString();
    }

    private static string Field(Random random, char delimiter, char quote, bool longFields)
    {
        var q = quote.ToString();
        var kind = random.Next(longFields ? 14 : 13);
        return kind switch
        {
            0 => "",
            1 or 2 => Plain(random, random.Next(1, 12)),
            3 => Unicode[random.Next(Unicode.Length)] + Plain(random, random.Next(0, 4)),
            4 => q + Plain(random, 3) + delimiter + Plain(random, 2) + q,
            5 => q + Plain(random, 2) + q + q + Plain(random, random.Next(0, 3)) + q + q + q,
            6 => q + Plain(random, 2) + new[] { "\n", "\r", "\r\n", "\n\n" }[random.Next(4)] + Plain(random, 2) + q,
            7 => q + q,
            8 => q + Unicode[random.Next(Unicode.Length)] + q + q + q,
            9 => random.Next(4) == 0 ? Plain(random, 2) + q + Plain(random, 2) : Plain(random, 3), // a quote inside an unquoted field
            10 => random.Next(4) == 0 ? q + Plain(random, 2) + q + Plain(random, 1) : Plain(random, 3), // text after a closing quote
            11 => random.Next(4) == 0 ? q + q + q + Plain(random, 1) : q + q + q + q, // a doubled quote, then text or the close
            12 => Plain(random, random.Next(1, 3)) + Unicode[random.Next(Unicode.Length)],
            _ => random.Next(2) == 0
                ? Plain(random, random.Next(10_000, 70_000))
                : q + Plain(random, random.Next(10_000, 40_000)) + q + q + "\r\n" + Plain(random, random.Next(1_000, 30_000)) + q,
        };
    }

    private static string Plain(Random random, int length)
    {
        const string Letters = "abcdefghijklmnopqrstuvwxyz0123456789 -_.";
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Letters[r.Next(Letters.Length)];
            }
        });
    }

    private static string NumberLike(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(5) == 0)
        {
            text.Append(" +-"[random.Next(3)]);
        }

        var digits = random.Next(0, 21);
        for (var i = 0; i < digits; i++)
        {
            text.Append((char)('0' + random.Next(10)));
        }

        if (random.Next(8) == 0)
        {
            text.Insert(random.Next(text.Length + 1), ".e x-"[random.Next(5)]);
        }

        return text.ToString();
    }

    private static string DecimalLike(Random random)
    {
        var digits = NumberLike(random).TrimStart(' ', '+', '-');
        var fraction = new string('0', random.Next(0, 3)) + random.NextInt64(0, 10_000_000_000).ToString(CultureInfo.InvariantCulture);
        return random.Next(10) switch
        {
            0 => digits + ".",
            1 => "." + fraction,
            2 => "-" + digits + "." + fraction,
            _ => digits + "." + fraction[..random.Next(1, fraction.Length + 1)],
        };
    }

    /// <summary>A conversion's result or error as comparable text: the value with its type, or the exception with its message.</summary>
    private static string Conversion(Func<object?> convert)
    {
        try
        {
            return convert() switch
            {
                null => "value null",
                byte[] bytes => $"value byte[] {Convert.ToHexString(bytes)}",
                DateTime time => $"value DateTime {time.ToString("O", CultureInfo.InvariantCulture)} {time.Kind}",
                double d => $"value Double {BitConverter.DoubleToInt64Bits(d)}",
                float f => $"value Single {BitConverter.SingleToInt32Bits(f)}",
                var value => $"value {value.GetType().Name} {Convert.ToString(value, CultureInfo.InvariantCulture)}",
            };
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name} {e.Message}";
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
