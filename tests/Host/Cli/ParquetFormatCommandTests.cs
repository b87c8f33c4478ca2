using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Formats.Parquet;

namespace Streams.Host.Tests.Cli;

/// <summary><c>streams format</c> on Parquet files: cat, schema, and Avro ⇄ Parquet conversion.</summary>
public sealed class ParquetFormatCommandTests : IDisposable
{
    private const string SchemaJson = """
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"long"},
          {"name":"day","type":{"type":"int","logicalType":"date"}},
          {"name":"at","type":{"type":"long","logicalType":"timestamp-micros"}},
          {"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
          {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID","SHIPPED"]}},
          {"name":"tags","type":{"type":"array","items":"string"}},
          {"name":"attrs","type":{"type":"map","values":"long"}},
          {"name":"customer","type":["null",{"type":"record","name":"Customer","fields":[
             {"name":"name","type":"string"},{"name":"vip","type":"boolean"}]}],"default":null},
          {"name":"ref","type":["null","long","string"],"default":null},
          {"name":"note","type":["null","string"],"default":null}]}
        """;

    private static readonly string[] Lines =
    [
        """{"id":1,"day":"2024-01-31","at":"2024-01-31T10:00:00.123456Z","price":"10.50","status":"NEW","tags":["a","b"],"attrs":{"x":1},"customer":{"name":"Ann","vip":true},"ref":42,"note":null}""",
        """{"id":2,"day":"2024-02-29","at":"1969-12-31T23:59:59.999999Z","price":"-0.01","status":"PAID","tags":[],"attrs":{},"customer":null,"ref":"A-7","note":"ünïcode ✓"}""",
        """{"id":3,"day":"1969-12-31","at":"2000-01-01T00:00:00Z","price":"99999999.99","status":"SHIPPED","tags":["x"],"attrs":{"a":-5,"b":7},"customer":{"name":"Bo","vip":false},"ref":null,"note":"third"}""",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("parquet-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static Task<CliResult> Streams(params string[] args) => InProcessCli.RunAsync(args);

    [Fact]
    public async Task Avro_to_Parquet_and_back_keeps_schema_and_records()
    {
        await File.WriteAllTextAsync(PathOf("order.avsc"), SchemaJson);
        await File.WriteAllTextAsync(PathOf("in.jsonl"), string.Join("\n", Lines) + "\n");
        var fromJson = await Streams("format", "convert", PathOf("in.jsonl"), PathOf("in.avro"), "--schema", PathOf("order.avsc"));
        fromJson.Exit.Should().Be(0, fromJson.Err);

        var toParquet = await Streams("format", "convert", PathOf("in.avro"), PathOf("mid.parquet"));
        toParquet.Exit.Should().Be(0, toParquet.Err);
        toParquet.Err.Should().Contain("3 records written");
        var back = await Streams("format", "convert", PathOf("mid.parquet"), PathOf("back.avro"));
        back.Exit.Should().Be(0, back.Err);

        var avroSchema = await Streams("format", "schema", PathOf("in.avro"));
        var parquetSchema = await Streams("format", "schema", PathOf("mid.parquet"));
        var backSchema = await Streams("format", "schema", PathOf("back.avro"));
        parquetSchema.Exit.Should().Be(0, parquetSchema.Err);
        parquetSchema.Out.Should().Be(avroSchema.Out);
        backSchema.Out.Should().Be(avroSchema.Out);

        var avroCat = await Streams("format", "cat", PathOf("in.avro"));
        var parquetCat = await Streams("format", "cat", PathOf("mid.parquet"));
        var backCat = await Streams("format", "cat", PathOf("back.avro"));
        parquetCat.Exit.Should().Be(0, parquetCat.Err);
        parquetCat.Out.Should().Be(avroCat.Out);
        backCat.Out.Should().Be(avroCat.Out);
        parquetCat.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(3);
    }

    [Fact]
    public async Task Schema_warns_on_stderr_when_the_footer_schema_is_corrupt()
    {
        var order = (RecordSchema)AvroSchemaParser.Parse(SchemaJson);
        var path = PathOf("corrupt-schema.parquet");
        await using (var writer = new ParquetWriter(File.Create(path), order, new ParquetWriterOptions
                     {
                         StoreAvroSchema = false,
                         Metadata = new Dictionary<string, string> { [ParquetReader.AvroSchemaKey] = "{\"type\":\"record\"," },
                     }))
        {
            await writer.CompleteAsync();
        }

        var schema = await Streams("format", "schema", path);

        schema.Exit.Should().Be(0, schema.Err);
        schema.Err.Should().StartWith("warning: ").And.Contain(path).And.Contain("is not a valid Avro schema")
            .And.Contain("without the Avro record names, enum symbols");
        schema.Out.Should().NotContain("\"enum\"", "the derived schema prints, without the enum Status");
        schema.Out.Should().Contain("\"status\"");
        await using (var writer = new ParquetWriter(File.Create(PathOf("good.parquet")), order))
        {
            await writer.CompleteAsync();
        }

        var good = await Streams("format", "schema", PathOf("good.parquet"));
        good.Exit.Should().Be(0, good.Err);
        good.Err.Should().BeEmpty("a footer schema that fits is used without a warning");
        good.Out.Should().Contain("\"enum\"");
    }

    [Fact]
    public async Task Truncated_parquet_file_fails_with_its_name()
    {
        await File.WriteAllBytesAsync(PathOf("bad.parquet"), "PAR1garbage"u8.ToArray());
        var cat = await Streams("format", "cat", PathOf("bad.parquet"));
        cat.Exit.Should().Be(1);
        cat.Err.Should().Contain("bad.parquet");
    }
}
