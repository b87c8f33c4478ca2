using Avro.File;
using Avro.Generic;
using Avro.IO;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Files;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using ApacheRecord = Avro.Generic.GenericRecord;
using ApacheSchema = Avro.Schema;
using Field = Streams.Formats.Model.Field;
using GenericRecord = Streams.Formats.Model.GenericRecord;
using RecordSchema = Streams.Formats.Model.RecordSchema;

namespace Streams.Formats.Tests.Avro.Interop;

/// <summary>
/// Interop with Apache.Avro 1.12.2 (the C# library of the Avro project): container files each way, proven by
/// byte-identical re-encoding, and each known Apache.Avro limitation asserted as what it is, so an upgrade that
/// fixes one fails here and is noticed.
/// </summary>
public sealed class ApacheAvroInteropTests : IDisposable
{
    private const int RecordCount = 30;

    /// <summary>The fields of <see cref="AvroTestData.AllTypes"/> Apache.Avro can parse: all but uuid on fixed (see below).</summary>
    private static readonly RecordSchema Schema = new(AvroTestData.AllTypes.Name,
        AvroTestData.AllTypes.Fields.Where(f => f.Name != "uuidFixed").Select(f => new Field(f.Name, f.Schema)).ToList());

    private readonly string _dir = Directory.CreateTempSubdirectory("apache-avro-").FullName;
    private readonly List<GenericRecord> _records = Enumerable.Range(0, RecordCount)
        .Select(i => new GenericRecord(Schema, Enumerable.Where<object?>(AvroTestData.Sample(i).Values.ToArray(), (_, p) => AvroTestData.AllTypes.Fields[p].Name != "uuidFixed").ToArray()))
        .ToList();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] ApacheEncode(ApacheSchema schema, ApacheRecord record)
    {
        using var stream = new MemoryStream();
        new GenericDatumWriter<ApacheRecord>(schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    [Theory]
    [InlineData("null")]
    [InlineData("deflate")]
    public async Task Apache_Avro_reads_every_value_Streams_writes(string codec)
    {
        var path = Path.Combine(_dir, $"streams-{codec}.avro");
        await using (var writer = AvroFileWriter.Create(path, Schema, new AvroFileWriterOptions { Codec = AvroCodec.FromName(codec)!, BlockSize = 3000 }))
        {
            foreach (var record in _records)
            {
                await writer.WriteAsync(record);
            }
        }

        using var reader = DataFileReader<ApacheRecord>.OpenReader(path);
        var read = reader.NextEntries.ToList();
        read.Should().HaveCount(RecordCount);
        var ours = AvroDatumWriter.For(Schema);
        for (var i = 0; i < RecordCount; i++)
        {
            // Apache.Avro decoded every field and encodes it back to exactly Streams' bytes.
            ApacheEncode(reader.GetSchema(), read[i]).Should().Equal(ours.ToArray(_records[i]), $"record {i}");
        }

        // Spot checks of the decoded values themselves, as a C# user sees them.
        read[3]["s"].Should().Be(_records[3]["s"]);
        read[3]["uuidString"].Should().Be(_records[3]["uuidString"]);
        read[3]["date"].Should().Be(((DateOnly)_records[3]["date"]!).ToDateTime(TimeOnly.MinValue));
        ((DateTime)read[3]["tsMicros"]).Should().Be((DateTime)_records[3]["tsMicros"]!);
    }

    [Fact]
    public async Task Streams_reads_every_value_Apache_Avro_writes()
    {
        var apacheSchema = ApacheSchema.Parse(AvroSchemaWriter.ToJson(Schema));
        var ours = AvroDatumWriter.For(Schema);
        var path = Path.Combine(_dir, "apache.avro");
        using (var writer = DataFileWriter<ApacheRecord>.OpenWriter(new GenericDatumWriter<ApacheRecord>(apacheSchema), path, Codec.CreateCodec(Codec.Type.Deflate)))
        {
            var datumReader = new GenericDatumReader<ApacheRecord>(apacheSchema, apacheSchema);
            foreach (var record in _records)
            {
                // Apache.Avro's own records, decoded from Streams' bytes by Apache.Avro.
                writer.Append(datumReader.Read(null!, new BinaryDecoder(new MemoryStream(ours.ToArray(record)))));
            }
        }

        // Apache.Avro nests a logical type on fixed ({"type": {"type": "fixed", ...}, "logicalType": ...}); Streams reads that form.
        apacheSchema.ToString().Should().Contain("\"type\":{\"type\":\"fixed\"");
        await using var reader = await AvroFileReader.OpenAsync(path, Schema);
        reader.Header.Codec.Name.Should().Be("deflate");
        var read = await reader.ReadAllAsync().ToListAsync();
        read.Should().HaveCount(RecordCount);
        for (var i = 0; i < RecordCount; i++)
        {
            foreach (var field in Schema.Fields)
            {
                var value = ((GenericRecord)read[i]!)[field.Name];
                ValueEquality.Instance.Equals(value, _records[i][field.Position]).Should().BeTrue(
                    $"record {i} field {field.Name}: {ValueEquality.Format(value)} should be {ValueEquality.Format(_records[i][field.Position])}");
            }
        }
    }

    /// <summary>Limitation of Apache.Avro 1.12.2: the uuid logical type on fixed(16) (Avro 1.12 specification) does not parse.</summary>
    [Fact]
    public void Apache_Avro_cannot_parse_uuid_on_fixed()
    {
        var json = AvroSchemaWriter.ToJson(AvroTestData.AllTypes);
        AvroSchemaParser.Parse(json).Should().NotBeNull();
        var act = () => ApacheSchema.Parse(json);
        act.Should().Throw<Exception>().Which.Message.Should().Contain("uuid");
    }

    /// <summary>
    /// Limitation of Apache.Avro 1.12.2: it has only the null and deflate codecs built in (snappy and zstandard
    /// need packages outside its own), so it refuses Streams' snappy and zstandard files.
    /// </summary>
    [Theory]
    [InlineData("snappy")]
    [InlineData("zstandard")]
    public async Task Apache_Avro_has_no_snappy_or_zstandard_codec(string codec)
    {
        var path = Path.Combine(_dir, $"streams-{codec}.avro");
        await using (var writer = AvroFileWriter.Create(path, Schema, new AvroFileWriterOptions { Codec = AvroCodec.FromName(codec)! }))
        {
            await writer.WriteAsync(_records[0]);
        }

        var act = () =>
        {
            using var reader = DataFileReader<ApacheRecord>.OpenReader(path);
            return reader.NextEntries.ToList();
        };
        act.Should().Throw<Exception>();
    }
}
