using System.Text.Json.Nodes;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Avro.Schemas;

namespace Streams.Formats.Tests.Avro.Interop;

/// <summary>
/// Compatibility verdicts against python3-avro's <c>avro.compatibility.ReaderWriterCompatibilityChecker</c>
/// (a port of Java's SchemaCompatibility) over a table that covers each rule of "Schema Resolution".
/// </summary>
public sealed class CompatibilityInteropTests
{
    private const string Script = """
        import sys, json
        import avro.schema
        from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

        out = []
        for pair in json.load(sys.stdin):
            writer = avro.schema.parse(pair["writer"])
            reader = avro.schema.parse(pair["reader"])
            result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
            out.append(result.compatibility is SchemaCompatibilityType.compatible)
        print(json.dumps(out))
        """;

    private const string Person = """{"type":"record","name":"com.acme.Person","fields":[{"name":"name","type":"string"},{"name":"age","type":"int"}]}""";
    private const string Suit = """{"type":"enum","name":"Suit","symbols":["SPADES","HEARTS","CLUBS"]}""";
    private const string List = """{"type":"record","name":"List","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","List"]}]}""";

    /// <summary>Writer, reader, whether the reader can read all the writer's data, and what the case covers.</summary>
    public static readonly (string Writer, string Reader, bool Compatible, string Rule)[] Table =
    [
        ("\"int\"", "\"int\"", true, "same primitive"),
        ("\"null\"", "\"null\"", true, "null"),
        ("\"int\"", "\"long\"", true, "int to long"),
        ("\"int\"", "\"float\"", true, "int to float"),
        ("\"int\"", "\"double\"", true, "int to double"),
        ("\"long\"", "\"float\"", true, "long to float"),
        ("\"long\"", "\"double\"", true, "long to double"),
        ("\"float\"", "\"double\"", true, "float to double"),
        ("\"long\"", "\"int\"", false, "no narrowing"),
        ("\"double\"", "\"float\"", false, "no narrowing"),
        ("\"string\"", "\"bytes\"", true, "string to bytes"),
        ("\"bytes\"", "\"string\"", true, "bytes to string"),
        ("\"string\"", "\"int\"", false, "primitive mismatch"),
        ("\"boolean\"", "\"int\"", false, "primitive mismatch"),
        (Person, Person, true, "same record"),
        (Person, """{"type":"record","name":"com.acme.Person","fields":[{"name":"name","type":"string"},{"name":"age","type":"int"},{"name":"email","type":["null","string"],"default":null}]}""", true, "reader field with default"),
        (Person, """{"type":"record","name":"com.acme.Person","fields":[{"name":"name","type":"string"},{"name":"email","type":"string"}]}""", false, "reader field without default"),
        (Person, """{"type":"record","name":"com.acme.Person","fields":[{"name":"name","type":"string"}]}""", true, "writer field skipped"),
        (Person, """{"type":"record","name":"com.acme.Person","fields":[{"name":"name","type":"string"},{"name":"age","type":"long"}]}""", true, "field promotion"),
        ("""{"type":"record","name":"com.acme.Person","fields":[{"name":"age","type":"long"}]}""", """{"type":"record","name":"com.acme.Person","fields":[{"name":"age","type":"int"}]}""", false, "field narrowing"),
        (Person, """{"type":"record","name":"com.acme.Person","fields":[{"name":"fullName","type":"string","aliases":["name"]},{"name":"age","type":"int"}]}""", true, "field alias"),
        (Person, """{"type":"record","name":"com.acme.Human","aliases":["com.acme.Person"],"fields":[{"name":"name","type":"string"}]}""", true, "record alias"),
        (Person, """{"type":"record","name":"com.acme.Human","fields":[{"name":"name","type":"string"}]}""", false, "record name mismatch"),
        (Suit, """{"type":"enum","name":"Suit","symbols":["SPADES","HEARTS","CLUBS","DIAMONDS"]}""", true, "enum superset"),
        (Suit, """{"type":"enum","name":"Suit","symbols":["SPADES","HEARTS"]}""", false, "enum subset without default"),
        (Suit, """{"type":"enum","name":"Suit","symbols":["SPADES","HEARTS","UNKNOWN"],"default":"UNKNOWN"}""", true, "enum subset with default"),
        (Suit, """{"type":"enum","name":"Colour","symbols":["SPADES","HEARTS","CLUBS"]}""", false, "enum name mismatch"),
        ("""{"type":"fixed","name":"F","size":4}""", """{"type":"fixed","name":"F","size":4}""", true, "fixed"),
        ("""{"type":"fixed","name":"F","size":4}""", """{"type":"fixed","name":"F","size":8}""", false, "fixed size mismatch"),
        ("""{"type":"fixed","name":"F","size":4}""", """{"type":"fixed","name":"G","size":4}""", false, "fixed name mismatch"),
        ("""{"type":"array","items":"int"}""", """{"type":"array","items":"long"}""", true, "array items promoted"),
        ("""{"type":"array","items":"long"}""", """{"type":"array","items":"int"}""", false, "array items narrowed"),
        ("""{"type":"map","values":"int"}""", """{"type":"map","values":"double"}""", true, "map values promoted"),
        ("""{"type":"map","values":"string"}""", """{"type":"map","values":"int"}""", false, "map values mismatch"),
        ("""{"type":"array","items":"int"}""", """{"type":"map","values":"int"}""", false, "array vs map"),
        ("\"int\"", """["null","long"]""", true, "reader union takes a promotion"),
        ("\"string\"", """["null","int"]""", false, "reader union lacks the writer type"),
        ("""["null","int"]""", """["null","long"]""", true, "both unions"),
        ("""["null","int","string"]""", """["null","int"]""", false, "writer union branch unreadable"),
        ("""["null","int"]""", "\"int\"", false, "writer null branch unreadable"),
        ("""["int","long"]""", "\"double\"", true, "every writer branch promoted"),
        ("""["int","string"]""", "\"boolean\"", false, "no writer branch readable"),
        (Person, $"[\"null\",{Person}]", true, "record into a nullable record"),
        (List, List, true, "recursive record"),
        (List, """{"type":"record","name":"List","fields":[{"name":"value","type":"long"},{"name":"next","type":["null","List"]},{"name":"tag","type":"string","default":""}]}""", true, "recursive record evolved"),
        ("""{"type":"record","name":"O","fields":[{"name":"lines","type":{"type":"array","items":{"type":"record","name":"L","fields":[{"name":"p","type":"double"}]}}}]}""",
         """{"type":"record","name":"O","fields":[{"name":"lines","type":{"type":"array","items":{"type":"record","name":"L","fields":[{"name":"p","type":"double"},{"name":"q","type":"int"}]}}}]}""", false, "nested missing default"),
        ($$"""{"type":"record","name":"H","fields":[{"name":"s","type":["null",{{Suit}}]}]}""",
         """{"type":"record","name":"H","fields":[{"name":"s","type":["null",{"type":"enum","name":"Suit","symbols":["SPADES","OTHER"],"default":"OTHER"}]}]}""", true, "enum with default inside a union"),
        ("""{"type":"long","logicalType":"timestamp-millis"}""", """{"type":"long","logicalType":"timestamp-micros"}""", true, "logical types do not take part"),
        ("""{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}""", "\"string\"", true, "decimal bytes read as string"),
    ];

    /// <summary>
    /// Pairs where this implementation follows the specification and python3-avro does not: the specification
    /// matches named types by unqualified name ("both schemas are records with the same (unqualified) name"),
    /// python3-avro by full name; and two decimals "match if their scales and precisions match", which
    /// python3-avro does not check.
    /// </summary>
    public static readonly (string Writer, string Reader, bool Compatible, string Rule)[] Deviations =
    [
        ("""{"type":"record","name":"a.X","fields":[]}""", """{"type":"record","name":"b.X","fields":[]}""", true, "unqualified record names"),
        ("""{"type":"enum","name":"a.E","symbols":["A"]}""", """{"type":"enum","name":"b.E","symbols":["A"]}""", true, "unqualified enum names"),
        ("""{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}""", """{"type":"bytes","logicalType":"decimal","precision":4,"scale":3}""", false, "decimal scales differ"),
        ("""{"type":"fixed","name":"D","size":4,"logicalType":"decimal","precision":6,"scale":2}""", """{"type":"fixed","name":"D","size":4,"logicalType":"decimal","precision":7,"scale":2}""", false, "decimal precisions differ"),
    ];

    [Fact]
    public async Task Verdicts_match_python_avro()
    {
        Table.Length.Should().BeGreaterThanOrEqualTo(30);
        var cases = Table.Concat(Deviations).ToArray();
        var input = new JsonArray(cases.Select(c => (JsonNode?)new JsonObject { ["writer"] = c.Writer, ["reader"] = c.Reader }).ToArray());

        var python = (await PythonAvro.RunAsync(Script, input)).AsArray().Select(n => n!.GetValue<bool>()).ToArray();

        python.Should().HaveCount(cases.Length);
        for (var i = 0; i < cases.Length; i++)
        {
            var (writer, reader, compatible, rule) = cases[i];
            var issues = AvroCompatibility.CanRead(AvroSchemaParser.Parse(reader), AvroSchemaParser.Parse(writer));
            (issues.Count == 0).Should().Be(compatible, $"{rule}: {writer} -> {reader} ({string.Join("; ", issues)})");
            var isDeviation = i >= Table.Length;
            python[i].Should().Be(isDeviation ? !compatible : compatible, $"python3-avro on {rule}");
        }
    }
}
