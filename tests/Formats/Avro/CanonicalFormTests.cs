using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

/// <summary>
/// The Parsing Canonical Form and CRC-64-AVRO fingerprint vectors Apache Avro publishes with the specification
/// (share/test/data/schema-tests.txt, cases 000 to 033), which its Java implementation cross-checks.
/// </summary>
public sealed class CanonicalFormTests
{
    public static TheoryData<string, string, string, long?> Vectors => new()
    {
        { "000", "\"null\"", "\"null\"", 7195948357588979594 },
        { "001", "{\"type\":\"null\"}", "\"null\"", null },
        { "002", "\"boolean\"", "\"boolean\"", -6970731678124411036 },
        { "003", "{\"type\":\"boolean\"}", "\"boolean\"", null },
        { "004", "\"int\"", "\"int\"", 8247732601305521295 },
        { "005", "{\"type\":\"int\"}", "\"int\"", null },
        { "006", "\"long\"", "\"long\"", -3434872931120570953 },
        { "007", "{\"type\":\"long\"}", "\"long\"", null },
        { "008", "\"float\"", "\"float\"", 5583340709985441680 },
        { "009", "{\"type\":\"float\"}", "\"float\"", null },
        { "010", "\"double\"", "\"double\"", -8181574048448539266 },
        { "011", "{\"type\":\"double\"}", "\"double\"", null },
        { "012", "\"bytes\"", "\"bytes\"", 5746618253357095269 },
        { "013", "{\"type\":\"bytes\"}", "\"bytes\"", null },
        { "014", "\"string\"", "\"string\"", -8142146995180207161 },
        { "015", "{\"type\":\"string\"}", "\"string\"", null },
        { "016", "[  ]", "[]", -1241056759729112623 },
        { "017", "[ \"int\"  ]", "[\"int\"]", -5232228896498058493 },
        { "018", "[ \"int\" , {\"type\":\"boolean\"} ]", "[\"int\",\"boolean\"]", 5392556393470105090 },
        { "019", "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\"}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", -4824392279771201922 },
        { "020", "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"namespace\":\"x.y\"}", "{\"name\":\"x.y.foo\",\"type\":\"record\",\"fields\":[]}", 5916914534497305771 },
        { "021", "{\"fields\":[], \"type\":\"record\", \"name\":\"a.b.foo\", \"namespace\":\"x.y\"}", "{\"name\":\"a.b.foo\",\"type\":\"record\",\"fields\":[]}", -4616218487480524110 },
        { "022", "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"doc\":\"Useful info\"}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", -4824392279771201922 },
        { "023", "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"aliases\":[\"foo\",\"bar\"]}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", -4824392279771201922 },
        { "024", "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"doc\":\"foo\", \"aliases\":[\"foo\",\"bar\"]}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", -4824392279771201922 },
        { "025", "{\"fields\":[{\"type\":{\"type\":\"boolean\"}, \"name\":\"f1\"}], \"type\":\"record\", \"name\":\"foo\"}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[{\"name\":\"f1\",\"type\":\"boolean\"}]}", 7843277075252814651 },
        // 026 declares "default":"true" (a string) for a boolean field, which the specification does not allow
        // and this parser rejects (see Vector026AsPublishedIsRejected); the boolean literal keeps the vector's intent.
        {
            "026",
            "{ \"fields\":[{\"type\":\"boolean\", \"aliases\":[], \"name\":\"f1\", \"default\":true},\n {\"order\":\"descending\",\"name\":\"f2\",\"doc\":\"Hello\",\"type\":\"int\"}],\n \"type\":\"record\", \"name\":\"foo\"\n}",
            "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[{\"name\":\"f1\",\"type\":\"boolean\"},{\"name\":\"f2\",\"type\":\"int\"}]}",
            -4860222112080293046
        },
        { "027", "{\"type\":\"enum\", \"name\":\"foo\", \"symbols\":[\"A1\"]}", "{\"name\":\"foo\",\"type\":\"enum\",\"symbols\":[\"A1\"]}", -6342190197741309591 },
        { "028", "{\"namespace\":\"x.y.z\", \"type\":\"enum\", \"name\":\"foo\", \"doc\":\"foo bar\", \"symbols\":[\"A1\", \"A2\"]}", "{\"name\":\"x.y.z.foo\",\"type\":\"enum\",\"symbols\":[\"A1\",\"A2\"]}", -4448647247586288245 },
        { "029", "{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15}", "{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15}", 1756455273707447556 },
        { "030", "{\"namespace\":\"x.y.z\", \"type\":\"fixed\", \"name\":\"foo\", \"doc\":\"foo bar\", \"size\":32}", "{\"name\":\"x.y.z.foo\",\"type\":\"fixed\",\"size\":32}", -3064184465700546786 },
        { "031", "{ \"items\":{\"type\":\"null\"}, \"type\":\"array\"}", "{\"type\":\"array\",\"items\":\"null\"}", -589620603366471059 },
        { "032", "{ \"values\":\"string\", \"type\":\"map\"}", "{\"type\":\"map\",\"values\":\"string\"}", -8732877298790414990 },
        {
            "033",
            "{\"name\":\"PigValue\",\"type\":\"record\",\n \"fields\":[{\"name\":\"value\", \"type\":[\"null\", \"int\", \"long\", \"PigValue\"]}]}",
            "{\"name\":\"PigValue\",\"type\":\"record\",\"fields\":[{\"name\":\"value\",\"type\":[\"null\",\"int\",\"long\",\"PigValue\"]}]}",
            -1759257747318642341
        },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Matches_the_published_vector(string id, string input, string canonical, long? fingerprint)
    {
        var schema = AvroSchemaParser.Parse(input);

        CanonicalForm.Of(schema).Should().Be(canonical, $"vector {id}");
        SchemaFingerprint.Rabin(schema).Should().Be(SchemaFingerprint.Rabin(System.Text.Encoding.UTF8.GetBytes(canonical)));
        if (fingerprint is { } expected)
        {
            SchemaFingerprint.Rabin(schema).Should().Be(expected, $"vector {id}");
        }
    }

    [Fact]
    public void Vector026AsPublishedIsRejected()
    {
        var act = () => AvroSchemaParser.Parse(
            "{\"fields\":[{\"type\":\"boolean\",\"name\":\"f1\",\"default\":\"true\"}],\"type\":\"record\",\"name\":\"foo\"}");

        act.Should().Throw<SchemaException>().Which.Path.Should().Be("foo.f1");
    }

    [Fact]
    public void Rabin_of_no_bytes_is_the_empty_constant()
    {
        SchemaFingerprint.Rabin(ReadOnlySpan<byte>.Empty).Should().Be(unchecked((long)0xc15d213aa4d7a795UL));
    }

    [Fact]
    public void Uses_full_names_and_writes_repeated_named_types_by_name()
    {
        var schema = AvroSchemaParser.Parse("""
            {"type":"record","name":"Order","namespace":"com.acme","doc":"x","fields":[
              {"name":"id","type":{"type":"string","logicalType":"uuid"},"default":"00000000-0000-0000-0000-000000000000"},
              {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","DONE"],"default":"NEW"}},
              {"name":"previous","type":["null","Status"],"default":null},
              {"name":"hash","type":{"type":"fixed","name":"Hash","namespace":"com.acme.crypto","size":"016"}},
              {"name":"other","type":"com.acme.crypto.Hash","custom":{"a":1}},
              {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}}
            ]}
            """);

        CanonicalForm.Of(schema).Should().Be(
            "{\"name\":\"com.acme.Order\",\"type\":\"record\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"status\",\"type\":{\"name\":\"com.acme.Status\",\"type\":\"enum\",\"symbols\":[\"NEW\",\"DONE\"]}},"
            + "{\"name\":\"previous\",\"type\":[\"null\",\"com.acme.Status\"]},"
            + "{\"name\":\"hash\",\"type\":{\"name\":\"com.acme.crypto.Hash\",\"type\":\"fixed\",\"size\":16}},"
            + "{\"name\":\"other\",\"type\":\"com.acme.crypto.Hash\"},"
            + "{\"name\":\"amount\",\"type\":\"bytes\"}]}");
    }

    [Fact]
    public void An_error_keeps_its_type_name()
    {
        CanonicalForm.Of(AvroSchemaParser.Parse("""{"type":"error","name":"Oops","fields":[]}"""))
            .Should().Be("{\"name\":\"Oops\",\"type\":\"error\",\"fields\":[]}");
    }

    [Fact]
    public void Digests_hash_the_canonical_form()
    {
        var schema = AvroSchemaParser.Parse("""{"type":"record","name":"r","fields":[{"name":"a","type":"int","doc":"ignored"}]}""");
        var canonical = "{\"name\":\"r\",\"type\":\"record\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";

        Convert.ToHexStringLower(SchemaFingerprint.Md5(schema)).Should().Be(
            Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(canonical))));
        SchemaFingerprint.Sha256(schema).Should().HaveCount(32);
    }
}
