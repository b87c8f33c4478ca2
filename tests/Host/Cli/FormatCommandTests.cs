using Streams.Formats.Avro.Files;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Parquet;
using Streams.Formats.Parquet.Metadata;

namespace Streams.Host.Tests.Cli;

public sealed class FormatCommandTests : IDisposable
{
    private const string SchemaJson = """
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"long"},
          {"name":"day","type":{"type":"int","logicalType":"date"}},
          {"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
          {"name":"tags","type":{"type":"array","items":"string"}},
          {"name":"note","type":["null","string"],"default":null}]}
        """;

    private static readonly string[] Lines =
    [
        """{"id":1,"day":"2024-01-31","price":"10.50","tags":["a","b"],"note":null}""",
        """{"id":2,"day":"2024-02-29","price":"-0.01","tags":[],"note":"ünïcode ✓"}""",
        """{"id":3,"day":"1969-12-31","price":"99999999.99","tags":["x"],"note":"third"}""",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("format-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static Task<CliResult> Streams(params string[] args) => InProcessCli.RunAsync(args);

    private async Task<string> WriteInputs()
    {
        await File.WriteAllTextAsync(PathOf("order.avsc"), SchemaJson);
        await File.WriteAllTextAsync(PathOf("in.jsonl"), string.Join("\n", Lines) + "\n");
        return PathOf("in.jsonl");
    }

    [Theory]
    [InlineData("null")]
    [InlineData("deflate")]
    [InlineData("snappy")]
    [InlineData("zstandard")]
    public async Task Convert_jsonl_to_avro_then_cat_prints_the_same_lines(string codec)
    {
        var input = await WriteInputs();
        var convert = await Streams("format", "convert", input, PathOf("out.avro"), "--codec", codec, "--schema", PathOf("order.avsc"));
        convert.Exit.Should().Be(0, convert.Err);
        convert.Err.Should().Contain("3 records written");

        await using (var reader = await AvroFileReader.OpenAsync(PathOf("out.avro")))
        {
            reader.Header.Codec.Name.Should().Be(codec);
        }

        var cat = await Streams("format", "cat", PathOf("out.avro"));
        cat.Exit.Should().Be(0, cat.Err);
        cat.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(Lines);

        var back = await Streams("format", "convert", PathOf("out.avro"), PathOf("back.jsonl"));
        back.Exit.Should().Be(0, back.Err);
        (await File.ReadAllLinesAsync(PathOf("back.jsonl"))).Should().Equal(Lines);
    }

    [Fact]
    public async Task Cat_stops_at_the_limit_and_schema_prints_pretty_json()
    {
        var input = await WriteInputs();
        (await Streams("format", "convert", input, PathOf("out.avro"), "--schema", PathOf("order.avsc"))).Exit.Should().Be(0);

        var cat = await Streams("format", "cat", PathOf("out.avro"), "--limit", "2");
        cat.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(Lines[..2]);

        var schema = await Streams("format", "schema", PathOf("out.avro"));
        schema.Exit.Should().Be(0, schema.Err);
        schema.Out.Should().Contain("\n  ").And.Contain("\"logicalType\": \"decimal\"");
        CanonicalForm.Of(AvroSchemaParser.Parse(schema.Out)).Should().Be(CanonicalForm.Of(AvroSchemaParser.Parse(SchemaJson)));
    }

    [Fact]
    public async Task A_truncated_file_prints_the_good_records_then_names_the_file_and_block_on_stderr()
    {
        var schema = AvroSchemaParser.Parse("\"long\"");
        var path = PathOf("cut.avro");
        await using (var writer = AvroFileWriter.Create(path, schema))
        {
            for (var i = 0L; i < 30; i++)
            {
                await writer.WriteAsync(i);
                if (i % 10 == 9)
                {
                    await writer.FlushAsync();
                }
            }
        }

        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..^10]);
        var cat = await Streams("format", "cat", path);
        cat.Exit.Should().Be(1);
        cat.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(Enumerable.Range(0, 20).Select(i => i.ToString()));
        cat.Err.Should().Contain(path).And.Contain("block 2 at byte offset").And.Contain("truncated");
    }

    [Fact]
    public async Task Json_lines_without_a_schema_is_a_usage_error()
    {
        var input = await WriteInputs();
        var convert = await Streams("format", "convert", input, PathOf("out.avro"));
        convert.Exit.Should().Be(2);
        convert.Err.Should().Contain("in.jsonl").And.Contain("--schema");
        File.Exists(PathOf("out.avro")).Should().BeFalse();
    }

    [Fact]
    public async Task Unknown_extensions_and_codecs_are_usage_errors()
    {
        var input = await WriteInputs();
        var unknown = await Streams("format", "cat", PathOf("data.xyz"));
        unknown.Exit.Should().Be(2);
        unknown.Err.Should().Contain("unknown file type '.xyz'");

        var codec = await Streams("format", "convert", input, PathOf("o.avro"), "--codec", "lzma", "--schema", PathOf("order.avsc"));
        codec.Exit.Should().Be(2);
        codec.Err.Should().Contain("Unknown avro codec 'lzma'").And.Contain("null, deflate, snappy");

        var jsonCodec = await Streams("format", "convert", input, PathOf("o.jsonl"), "--codec", "gzip", "--schema", PathOf("order.avsc"));
        jsonCodec.Exit.Should().Be(2);
        jsonCodec.Err.Should().Contain("--codec does not apply to jsonl output");
    }

    [Theory]
    [InlineData("gzip", CompressionCodec.Gzip)]
    [InlineData("zstd", CompressionCodec.Zstd)]
    [InlineData("lz4_raw", CompressionCodec.Lz4Raw)]
    [InlineData("LZ4", CompressionCodec.Lz4)]
    public async Task Parquet_output_takes_its_own_codecs(string name, CompressionCodec codec)
    {
        var input = await WriteInputs();
        var convert = await Streams("format", "convert", input, PathOf("o.parquet"), "--codec", name, "--schema", PathOf("order.avsc"));
        convert.Exit.Should().Be(0, convert.Err);
        await using (var reader = await ParquetReader.OpenAsync(PathOf("o.parquet")))
        {
            reader.Metadata.RowGroups.SelectMany(g => g.Columns).Select(c => c.MetaData!.Codec).Distinct().Should().Equal(codec);
        }

        var back = await Streams("format", "convert", PathOf("o.parquet"), PathOf("back.jsonl"));
        back.Exit.Should().Be(0, back.Err);
        (await File.ReadAllLinesAsync(PathOf("back.jsonl"))).Should().Equal(Lines);

        var deflate = await Streams("format", "convert", input, PathOf("p.parquet"), "--codec", "deflate", "--schema", PathOf("order.avsc"));
        deflate.Exit.Should().Be(2);
        deflate.Err.Should().Contain("Unknown parquet codec 'deflate'").And.Contain("uncompressed, snappy, gzip, zstd, lz4_raw, lz4");
    }

    [Fact]
    public async Task A_bad_json_line_names_the_line_and_field()
    {
        await WriteInputs();
        await File.WriteAllTextAsync(PathOf("bad.jsonl"), Lines[0] + "\n" + Lines[1].Replace("\"-0.01\"", "\"abc\"") + "\n");
        var convert = await Streams("format", "convert", PathOf("bad.jsonl"), PathOf("o.avro"), "--schema", PathOf("order.avsc"));
        convert.Exit.Should().Be(1);
        convert.Err.Should().Contain("bad.jsonl: line 2, field price").And.Contain("nothing was written");
        Directory.GetFiles(_dir).Select(Path.GetFileName).Should().BeEquivalentTo(["bad.jsonl", "order.avsc", "in.jsonl"], "a failed convert leaves no partial file");
    }

    [Theory]
    [InlineData("nodes.parquet", "parquet cannot hold these records: Record Node at 'Node.next' is recursive, which Parquet cannot store")]
    [InlineData("nodes.csv", "csv cannot hold these records: CSV columns are flat: field 'next' is union<null, record Node>, which CSV cannot store")]
    public async Task A_schema_the_output_format_cannot_store_is_a_plain_error_and_leaves_no_file(string output, string message)
    {
        await File.WriteAllTextAsync(PathOf("node.avsc"), """
            {"type":"record","name":"Node","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","Node"],"default":null}]}
            """);
        await File.WriteAllTextAsync(PathOf("nodes.jsonl"), "{\"value\": 1, \"next\": {\"value\": 2, \"next\": null}}\n{\"value\": 3, \"next\": null}\n");
        var avro = await Streams("format", "convert", PathOf("nodes.jsonl"), PathOf("nodes.avro"), "--schema", PathOf("node.avsc"));
        avro.Exit.Should().Be(0, avro.Err);
        await File.WriteAllTextAsync(PathOf(output), "an older file the failed convert must not replace");

        var convert = await Streams("format", "convert", PathOf("nodes.avro"), PathOf(output));

        convert.Exit.Should().Be(1);
        convert.Err.Should().Contain(message).And.Contain("nothing was written").And.NotContain("Exception").And.NotContain("   at ");
        (await File.ReadAllTextAsync(PathOf(output))).Should().Be("an older file the failed convert must not replace");
        Directory.GetFiles(_dir).Should().HaveCount(4, "no temporary file stays behind");
    }

    [Fact]
    public async Task Cat_resolves_an_avro_file_to_a_given_reader_schema()
    {
        var input = await WriteInputs();
        (await Streams("format", "convert", input, PathOf("out.avro"), "--schema", PathOf("order.avsc"))).Exit.Should().Be(0);
        await File.WriteAllTextAsync(PathOf("reader.avsc"), """
            {"type":"record","name":"Order","namespace":"shop","fields":[
              {"name":"id","type":"double"},
              {"name":"channel","type":"string","default":"web"}]}
            """);
        var cat = await Streams("format", "cat", PathOf("out.avro"), "--schema", PathOf("reader.avsc"), "--limit", "1");
        cat.Exit.Should().Be(0, cat.Err);
        cat.Out.Trim().Should().Be("""{"id":1,"channel":"web"}""");

        await File.WriteAllTextAsync(PathOf("incompatible.avsc"), """{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"string"}]}""");
        var bad = await Streams("format", "cat", PathOf("out.avro"), "--schema", PathOf("incompatible.avsc"));
        bad.Exit.Should().Be(1);
        bad.Err.Should().Contain("id");
    }

    [Fact]
    public async Task Schema_of_a_json_lines_file_is_a_usage_error()
    {
        var input = await WriteInputs();
        var schema = await Streams("format", "schema", input);
        schema.Exit.Should().Be(2);
        schema.Err.Should().Contain("carry no schema");
    }

    [Fact]
    public async Task A_missing_file_is_reported()
    {
        var cat = await Streams("format", "cat", PathOf("missing.avro"));
        cat.Exit.Should().Be(1);
        cat.Err.Should().Contain("missing.avro");
    }
}
