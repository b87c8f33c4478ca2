using System.Text;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Json;
using Streams.Formats.Model;
using Streams.Formats.Tests.Avro;

namespace Streams.Formats.Tests.Json;

/// <summary>
/// The transcoding path of <see cref="JsonLinesReader.ReadEncodedBatchAsync"/> against the decoding path
/// (<see cref="JsonLinesReader.ReadBatchAsync"/> then <see cref="AvroDatumWriter"/>): the same bytes for every record and the
/// same errors (message, line, path) for every bad line, over generated lines good and bad.
/// </summary>
public sealed class JsonAvroTranscoderTests
{
    private static readonly RecordSchema Event = (RecordSchema)AvroSchemaParser.Parse("""
        {"type":"record","name":"Event","namespace":"t","fields":[
          {"name":"id","type":"long"},
          {"name":"user","type":"string"},
          {"name":"ms","type":"int"},
          {"name":"price","type":"double"},
          {"name":"ratio","type":"float"},
          {"name":"ok","type":"boolean"},
          {"name":"ref","type":["null","string"],"default":null},
          {"name":"count","type":["long","null"]},
          {"name":"color","type":{"type":"enum","name":"Color","symbols":["RED","GREEN","BLUE"]},"default":"GREEN"},
          {"name":"note","type":"string","default":"none"},
          {"name":"level","type":"int","default":7},
          {"name":"nothing","type":"null"},
          {"name":"where","type":{"type":"record","name":"Place","fields":[
            {"name":"city","type":"string"},{"name":"zip","type":["null","int"],"default":null},{"name":"lat","type":"double","default":0.5}]}},
          {"name":"maybe","type":["null","Place"],"default":null},
          {"name":"score","type":["null","float"],"default":null},
          {"name":"shade","type":["null","Color"],"default":null},
          {"name":"flag","type":["boolean"]}
        ]}
        """);

    [Fact]
    public void Flat_schemas_compile_and_others_do_not()
    {
        JsonAvroTranscoder.Compile(Event).Should().NotBeNull();
        foreach (var type in new[]
        {
            "\"bytes\"", """{"type":"fixed","name":"F","size":2}""", """{"type":"array","items":"int"}""", """{"type":"map","values":"int"}""",
            """["null","int","string"]""", """{"type":"int","logicalType":"date"}""", """{"type":"string","logicalType":"uuid"}""",
            """["null",{"type":"long","logicalType":"timestamp-micros"}]""",
        })
        {
            var schema = AvroSchemaParser.Parse($$"""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":{{type}}}]}""");
            JsonAvroTranscoder.Compile(schema).Should().BeNull(type);
        }

        var recursive = AvroSchemaParser.Parse("""{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}""");
        JsonAvroTranscoder.Compile(recursive).Should().BeNull("a recursive record");
        JsonAvroTranscoder.Compile(PrimitiveSchema.Long).Should().BeNull("lines of plain values are not records");
    }

    [Fact]
    public async Task Well_formed_lines_are_transcoded_in_any_field_order_with_defaults_unknown_properties_and_escapes()
    {
        string[] lines =
        [
            """{"id":1,"user":"ann","ms":2,"price":1.5,"ratio":0.25,"ok":true,"ref":"r","count":3,"color":"RED","note":"n","level":1,"nothing":null,"where":{"city":"Oslo","zip":1234,"lat":59.9},"maybe":{"city":"Rome"},"score":1.25,"shade":"BLUE","flag":true}""",
            """{"flag":false,"where":{"lat":1,"city":"x"},"ok":false,"ratio":"NaN","price":"-Infinity","ms":-0,"user":"\u00e9\n\"\\\/\ud83d\ude00","id":-9223372036854775808}""",
            """ { "id" : 9223372036854775807 , "extra" : {"a":[1,{"b":null}],"c":"\ud800"}, "user":"caf\u00e9 ☕", "ms":2147483647, "price":1e3, "ratio":3.4028236e38, "ok":true, "where":{"city":"","more":[[]]}, "count":null, "flag":true, "shade":null, "maybe":null } """,
            """{"id":0,"user":"","ms":0,"price":-0.0,"ratio":1E-50,"ok":true,"where":{"city":"c"},"flag":true,"note":"\u0041\u00DF\u6771\uD834\uDD1E","color":"\u0042LUE"}""",
        ];
        var file = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        var (decoded, _, _) = await ReadDecodedAsync(file, Event);
        var (encoded, _, _, transcoded) = await ReadEncodedAsync(file, Event);
        decoded.Should().HaveCount(lines.Length, "every line is a good record");
        encoded.Should().Equal(decoded);
        transcoded.Should().Be(lines.Length, "no line needs the decoding path");
    }

    [Fact]
    public void A_declined_line_leaves_the_output_as_it_was()
    {
        var transcoder = JsonAvroTranscoder.Compile(Event)!;
        using var output = new ByteBuffer(16);
        using var scratch = new ByteBuffer(16);
        output.Write([1, 2, 3]);
        foreach (var line in new[]
        {
            """{"id":1,"user":"u","ms":1,"price":1,"ratio":1,"ok":true,"where":{"city":"x"},"flag":true} x""",
            """{"flag":true,"where":{"city":"x"},"ok":true,"ratio":1,"price":1,"ms":1,"user":"u","id":1,"id":2}""",
            """{"id":1,"user":"u","ms":1,"price":1,"ratio":1,"ok":true,"where":{"zip":1},"flag":true}""",
            """{"id":1,"user":"u","ms":1,"price":1,"ratio":1,"ok":true,"where":{"city":"x"},"flag":true,"note":"\ud800"}""",
        })
        {
            transcoder.TryTranscode(Encoding.UTF8.GetBytes(line), output, scratch).Should().BeFalse(line);
            output.WrittenSpan.ToArray().Should().Equal([1, 2, 3], line);
        }

        var good = """{"flag":true,"where":{"city":"x"},"ok":true,"ratio":1,"price":1,"ms":1,"user":"u","id":1}""";
        transcoder.TryTranscode(Encoding.UTF8.GetBytes(good), output, scratch).Should().BeTrue();
        var record = JsonLinesReaderRecord(good);
        output.WrittenSpan.ToArray().Should().Equal([1, 2, 3, .. AvroDatumWriter.For(Event).ToArray(record)]);
    }

    [Fact]
    public async Task Generated_lines_give_the_same_bytes_or_the_same_errors_on_both_paths()
    {
        var generator = new LineGenerator(new Random(1710), Event);
        var file = generator.File(4000);
        var (decoded, errors, decodedLines) = await ReadDecodedAsync(file, Event);
        var (encoded, encodedErrors, encodedLines, transcoded) = await ReadEncodedAsync(file, Event);

        encodedErrors.Should().Equal(errors);
        encoded.Should().Equal(decoded);
        encodedLines.Should().Be(decodedLines);
        // The file must exercise both: lines transcoded, and lines of every kind of fault declined to the decoding path.
        decoded.Count.Should().BeGreaterThan(1500);
        transcoded.Should().BeGreaterThan(1500);
        errors.Count.Should().BeGreaterThan(800);
        errors.Should().Contain(e => e.Contains("not valid UTF-8", StringComparison.Ordinal))
            .And.Contain(e => e.Contains("not valid JSON", StringComparison.Ordinal))
            .And.Contain(e => e.Contains("not valid text", StringComparison.Ordinal))
            .And.Contain(e => e.Contains("is missing", StringComparison.Ordinal))
            .And.Contain(e => e.Contains("field where.city", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_bad_record_callback_both_paths_stop_at_the_same_line_and_go_on_after_it()
    {
        var file = Encoding.UTF8.GetBytes("""
            {"id":1,"user":"a","ms":1,"price":1,"ratio":1,"ok":true,"where":{"city":"x"},"flag":true}
            {"id":2,"user":"b","ms":1.5,"price":1,"ratio":1,"ok":true,"where":{"city":"x"},"flag":true}
            {"id":3,"user":"c","ms":1,"price":1,"ratio":1,"ok":true,"where":{"city":"x"},"flag":true}
            """);
        await using var decoding = new JsonLinesReader(new MemoryStream(file), Event, "e.jsonl");
        await using var transcoding = new JsonLinesReader(new MemoryStream(file), Event, "e.jsonl");
        (await decoding.ReadBatchAsync())!.Should().HaveCount(1);
        var first = (await transcoding.ReadEncodedBatchAsync())!;
        first.Count.Should().Be(1);
        first.IsEncoded(0).Should().BeTrue();
        var expected = await FluentActions.Awaiting(() => decoding.ReadBatchAsync().AsTask()).Should().ThrowAsync<JsonLinesException>();
        var actual = await FluentActions.Awaiting(() => transcoding.ReadEncodedBatchAsync().AsTask()).Should().ThrowAsync<JsonLinesException>();
        actual.Which.Message.Should().Be(expected.Which.Message).And.Contain("line 2, field ms");
        (await decoding.ReadBatchAsync())!.Should().HaveCount(1);
        (await transcoding.ReadEncodedBatchAsync())!.Count.Should().Be(1);
        (await transcoding.ReadEncodedBatchAsync()).Should().BeNull();
    }

    [Fact]
    public async Task A_schema_it_does_not_transcode_is_read_by_the_decoding_path_for_the_whole_file()
    {
        var schema = (RecordSchema)AvroSchemaParser.Parse("""
            {"type":"record","name":"R","fields":[{"name":"id","type":"long"},{"name":"day","type":{"type":"int","logicalType":"date"}}]}
            """);
        var file = Encoding.UTF8.GetBytes("{\"id\":1,\"day\":\"2024-02-29\"}\n{\"id\":2,\"day\":\"2024-02-30\"}\n{\"day\":3,\"id\":3}\n");
        await using (var reader = new JsonLinesReader(new MemoryStream(file), schema))
        {
            reader.Transcodes.Should().BeFalse();
        }

        var (decoded, errors, _) = await ReadDecodedAsync(file, schema);
        var (encoded, encodedErrors, _, transcoded) = await ReadEncodedAsync(file, schema);
        transcoded.Should().Be(0);
        decoded.Should().HaveCount(2);
        encoded.Should().Equal(decoded);
        encodedErrors.Should().Equal(errors).And.ContainSingle().Which.Should().Contain("line 2");
    }

    [Fact]
    public async Task Random_flat_schemas_with_rendered_and_mangled_values_agree_on_both_paths()
    {
        var schemas = new RandomSchemaGenerator(seed: 77, maxDepth: 3, includeLogicalTypes: false);
        var values = new RandomValueGenerator(seed: 78);
        var random = new Random(79);
        var compiled = 0;
        for (var i = 0; i < 400 && compiled < 60; i++)
        {
            var schema = schemas.NextRecord();
            if (JsonAvroTranscoder.Compile(schema) is null)
            {
                continue;
            }

            compiled++;
            var generator = new LineGenerator(random, schema);
            var lines = new List<byte[]>();
            for (var j = 0; j < 30; j++)
            {
                var text = JsonLinesWriter.ToJson(schema, values.Next(schema));
                lines.Add(Encoding.UTF8.GetBytes(text));
                lines.Add(generator.Line(clean: j % 2 == 0));
            }

            var file = lines.SelectMany(l => l.Append((byte)'\n')).ToArray();
            var (decoded, errors, _) = await ReadDecodedAsync(file, schema);
            var (encoded, encodedErrors, _, transcoded) = await ReadEncodedAsync(file, schema);
            var because = AvroSchemaWriterAccess.Json(schema);
            encodedErrors.Should().Equal(errors, because);
            encoded.Should().Equal(decoded, because);
            transcoded.Should().BeGreaterThanOrEqualTo(30, because + ": every rendered value is transcoded");
        }

        compiled.Should().BeGreaterThan(20, "the generator should make flat record schemas");
    }

    private static object? JsonLinesReaderRecord(string line)
    {
        using var document = System.Text.Json.JsonDocument.Parse(line);
        return JsonValueParser.Compile(Event)(document.RootElement);
    }

    /// <summary>The decoding path: records' bytes through <see cref="AvroDatumWriter"/>, errors as text, and the lines read.</summary>
    private static async Task<(List<string> Records, List<string> Errors, long Lines)> ReadDecodedAsync(byte[] file, Schema schema)
    {
        var errors = new List<string>();
        var records = new List<string>();
        await using var reader = new JsonLinesReader(new MemoryStream(file), schema, "test.jsonl", onBadRecord: e => errors.Add(Describe(e)));
        while (await reader.ReadBatchAsync() is { } batch)
        {
            records.AddRange(batch.Select(r => Convert.ToHexString(AvroDatumWriter.For(schema).ToArray(r))));
        }

        return (records, errors, reader.LinesRead);
    }

    /// <summary>The transcoding path: as <see cref="ReadDecodedAsync"/>, with the number of records transcoded.</summary>
    private static async Task<(List<string> Records, List<string> Errors, long Lines, int Transcoded)> ReadEncodedAsync(byte[] file, Schema schema)
    {
        var errors = new List<string>();
        var records = new List<string>();
        var transcoded = 0;
        await using var reader = new JsonLinesReader(new MemoryStream(file), schema, "test.jsonl", onBadRecord: e => errors.Add(Describe(e)));
        while (await reader.ReadEncodedBatchAsync() is { } batch)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch.IsEncoded(i))
                {
                    transcoded++;
                    records.Add(Convert.ToHexString(batch.Encoded(i)));
                }
                else
                {
                    records.Add(Convert.ToHexString(AvroDatumWriter.For(schema).ToArray(batch.Decoded(i))));
                }
            }
        }

        return (records, errors, reader.LinesRead, transcoded);
    }

    private static string Describe(RecordFileException e) => e is JsonLinesException j
        ? $"{j.Line}|{j.Path}|{j.Reason}|{j.Message}|{j.InnerException?.GetType().Name}"
        : e.Message;

    /// <summary>
    /// JSON lines for a record schema: clean ones (values of the fields' types, in any order, optional fields left out,
    /// unknown properties, escapes) and messy ones (wrong types, numbers out of range, duplicates, missing required fields,
    /// escaped names, trailing content, invalid UTF-8, lone surrogates, not objects at all).
    /// </summary>
    private sealed class LineGenerator(Random random, RecordSchema schema)
    {
        private static readonly string[] Integers =
        [
            "0", "-0", "1", "-1", "42", "2147483647", "-2147483648", "2147483648", "-2147483649", "9223372036854775807",
            "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "1.0", "1e3", "1E3", "-1e0", "0.5", "01", "-", "+1",
            "123456789012345678901234567890",
        ];

        private static readonly string[] Reals =
        [
            "0", "-0", "0.0", "-0.0", "1.5", "1e3", "1E-3", "3.141592653589793", "5e-324", "1e-400", "1e308", "1.7976931348623157e308",
            "1e309", "-1e400", "3.4028236e38", "1e39", "1.17549435e-38", "1e-46", "123456789012345678901234567890", "\"NaN\"",
            "\"Infinity\"", "\"-Infinity\"", "\"nan\"", "\"inf\"", "\"\\u004eaN\"", "\"1.5\"", ".5", "1.", "1e", "0x10",
        ];

        private static readonly string[] Texts =
        [
            "\"\"", "\"abc\"", "\"caf\u00e9\"", "\"\\u00e9\"", "\"\\n\\t\\\"\\\\\\/\\b\\f\\r\"", "\"\\ud83d\\ude00\"", "\"\U0001F600\"",
            "\"\u6771\u4eac\"", "\"RED\"", "\"GREEN\"", "\"\\u0052ED\"", "\"a\\u0000b\"",
            "\"" + string.Concat(Enumerable.Repeat("x\\u00e9\\\"", 120)) + "\"", "\"" + new string('y', 5000) + "\"",
        ];

        private static readonly string[] BadTexts = ["\"\\ud800\"", "\"\\udc00x\"", "\"a\u0001b\"", "\"\\x\"", "\"open"];

        private static readonly string[] Others =
        [
            "true", "false", "null", "[]", "[1,2]", "{}", "{\"a\":1}", "\"true\"", "1", "\"x\"", "\"PURPLE\"", "\"red\"",
        ];

        private static readonly string[] Trailing = [" x", "}", ",", " {}", "]", "  ", "\t", " \r", "//c", " null"];

        private static readonly string[] NotRecords =
        [
            "[]", "1", "\"x\"", "null", "{", "{\"id\":}", "{\"id\" 1}", "{,}", "   ", "", "{} {}", "/* c */ {}", "\uFEFF{}",
            new string('[', 70) + new string(']', 70),
            "{\"extra\":" + new string('[', 70) + new string(']', 70) + "}",
        ];

        private static readonly byte[][] BadUtf8 =
        [
            [0xFF], [0xC0, 0xAF], [0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3],
        ];

        /// <summary>A file of <paramref name="count"/> lines (a byte order mark first, some CRLF endings, some blank lines).</summary>
        public byte[] File(int count)
        {
            var bytes = new List<byte>();
            bytes.AddRange("\uFEFF"u8.ToArray());
            for (var i = 0; i < count; i++)
            {
                bytes.AddRange(Line(clean: random.Next(2) == 0));
                bytes.AddRange(random.Next(10) == 0 ? "\r\n"u8.ToArray() : random.Next(40) == 0 ? "\n\n"u8.ToArray() : "\n"u8.ToArray());
            }

            bytes.AddRange(Line(clean: true)); // the last line without a line break
            return [.. bytes];
        }

        public byte[] Line(bool clean)
        {
            if (!clean && random.Next(25) == 0)
            {
                return Encoding.UTF8.GetBytes(Pick(NotRecords));
            }

            var bytes = new List<byte>();
            Record(bytes, schema, clean);
            if (!clean && random.Next(20) == 0)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(Pick(Trailing)));
            }

            return [.. bytes];
        }

        private void Record(List<byte> bytes, RecordSchema record, bool clean)
        {
            var fields = record.Fields.ToList();
            if (random.Next(2) == 0)
            {
                fields = [.. fields.OrderBy(_ => random.Next())];
            }

            var properties = new List<(string Name, Action Value)>();
            foreach (var field in fields)
            {
                var optional = field.HasDefault || field.Schema.IsNull || field.Schema is UnionSchema u && u.Branches.Any(b => b.IsNull);
                if ((optional && random.Next(4) == 0) || (!clean && random.Next(30) == 0))
                {
                    continue;
                }

                var name = !clean && random.Next(40) == 0 ? Escape(field.Name) : field.Name;
                properties.Add((name, () => Value(bytes, field.Schema, clean)));
                if (!clean && random.Next(40) == 0)
                {
                    properties.Add((field.Name, () => Value(bytes, field.Schema, clean))); // a duplicate
                }
            }

            if (random.Next(5) == 0)
            {
                properties.Insert(random.Next(properties.Count + 1), ("extra", () => Text(bytes, Pick(
                    ["{\"a\":[1,{\"b\":null}],\"c\":\"\\ud800\"}", "[[],[{}]]", "\"\\u00e9\"", "1e999", "null", "{\"id\":1}"]))));
            }

            Text(bytes, "{");
            for (var i = 0; i < properties.Count; i++)
            {
                Text(bytes, i > 0 ? Space() + "," + Space() : Space());
                Text(bytes, "\"" + properties[i].Name + "\"" + Space() + ":" + Space());
                properties[i].Value();
            }

            Text(bytes, Space() + "}");
        }

        private void Value(List<byte> bytes, Schema schema, bool clean)
        {
            if (!clean && random.Next(8) == 0)
            {
                if (random.Next(4) == 0)
                {
                    // Invalid UTF-8 inside a string.
                    Text(bytes, "\"a");
                    bytes.AddRange(Pick(BadUtf8));
                    Text(bytes, "b\"");
                    return;
                }

                Text(bytes, Pick([.. Others, .. BadTexts, .. Integers, .. Reals]));
                return;
            }

            switch (schema)
            {
                case UnionSchema union:
                    var nullable = union.Branches.Any(b => b.IsNull);
                    var other = union.Branches.FirstOrDefault(b => !b.IsNull);
                    if (other is null || (nullable && random.Next(3) == 0))
                    {
                        Text(bytes, "null");
                    }
                    else
                    {
                        Value(bytes, other, clean);
                    }

                    break;
                case RecordSchema record:
                    Record(bytes, record, clean);
                    break;
                case EnumSchema e:
                    Text(bytes, JsonString(Pick([.. e.Symbols])));
                    break;
                default:
                    Text(bytes, schema.Type switch
                    {
                        SchemaType.Null => "null",
                        SchemaType.Boolean => random.Next(2) == 0 ? "true" : "false",
                        SchemaType.Int => Pick(Integers.Take(7).ToArray()),
                        SchemaType.Long => Pick(Integers.Take(11).ToArray()),
                        SchemaType.Float or SchemaType.Double => Pick(Reals.Take(25).ToArray()),
                        SchemaType.String => Pick(Texts),
                        _ => throw new InvalidOperationException($"no values for {schema.DisplayName}"),
                    });
                    break;
            }
        }

        private string Space() => random.Next(6) switch
        {
            0 => " ",
            1 => "\t",
            _ => "",
        };

        private static string Escape(string name) => string.Concat(name.Select(c => $"\\u{(int)c:x4}"));

        private static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);

        private T Pick<T>(T[] items) => items[random.Next(items.Length)];

        private static void Text(List<byte> bytes, string text) => bytes.AddRange(Encoding.UTF8.GetBytes(text));
    }
}
