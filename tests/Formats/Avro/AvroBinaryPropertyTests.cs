using Streams.Formats.Avro;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Files;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

/// <summary>Seeded property tests of the binary codec and container files over random schemas and values.</summary>
public sealed class AvroBinaryPropertyTests
{
    [Fact]
    public void Random_values_round_trip_through_the_binary_encoding_and_skip_exactly()
    {
        var schemas = new RandomSchemaGenerator(seed: 101);
        var values = new RandomValueGenerator(seed: 102);
        for (var i = 0; i < 300; i++)
        {
            var schema = schemas.NextSchema();
            var writer = AvroDatumWriter.For(schema);
            var reader = AvroDatumReader.For(schema);
            for (var j = 0; j < 5; j++)
            {
                var value = values.Next(schema);
                var bytes = writer.ToArray(value);
                var decoded = reader.Read(bytes);
                ValueEquality.Instance.Equals(decoded, value).Should().BeTrue(
                    $"{ValueEquality.Format(decoded)} should be {ValueEquality.Format(value)}; schema {AvroSchemaWriter.ToJson(schema)}");

                // Arrays and maps written as sized blocks decode the same, and skipping jumps over them.
                var sized = AvroDatumWriter.For(schema, sizedBlocks: true).ToArray(value);
                ValueEquality.Instance.Equals(reader.Read(sized), value).Should().BeTrue(AvroSchemaWriter.ToJson(schema));

                // A value followed by a marker: skipping the value must land exactly on the marker.
                foreach (var encoded in new[] { bytes, sized })
                {
                    var withMarker = encoded.Append((byte)0x7E).ToArray();
                    var skipping = new AvroReader(withMarker);
                    AvroSkipperAccess.Skip(schema, ref skipping);
                    skipping.ReadLong().Should().Be(63, AvroSchemaWriter.ToJson(schema));
                }
            }
        }
    }

    [Fact]
    public void Every_truncation_of_a_value_is_an_error_not_a_wrong_value()
    {
        var schemas = new RandomSchemaGenerator(seed: 103);
        var values = new RandomValueGenerator(seed: 104);
        for (var i = 0; i < 100; i++)
        {
            var schema = schemas.NextRecord();
            var bytes = AvroDatumWriter.For(schema).ToArray(values.Next(schema));
            var reader = AvroDatumReader.For(schema);
            for (var cut = 0; cut < bytes.Length; cut++)
            {
                var prefix = bytes[..cut];
                var act = () => reader.Read(prefix);
                act.Should().Throw<AvroDataException>($"a {cut}-byte prefix of {bytes.Length} bytes is truncated")
                    .Which.Offset.Should().BeInRange(0, cut);
            }
        }
    }

    [Fact]
    public async Task Random_records_round_trip_through_container_files_with_every_codec()
    {
        var schemas = new RandomSchemaGenerator(seed: 105);
        var values = new RandomValueGenerator(seed: 106);
        string[] codecs = ["null", "deflate", "snappy"];
        for (var i = 0; i < 60; i++)
        {
            var schema = schemas.NextRecord();
            var records = Enumerable.Range(0, 15).Select(_ => values.Next(schema)).ToList();
            var stream = new MemoryStream();
            await using (var writer = AvroFileWriter.Create(stream, schema, new AvroFileWriterOptions
                         {
                             Codec = AvroCodec.FromName(codecs[i % 3])!,
                             BlockSize = 1 + i * 20,
                             LeaveOpen = true,
                         }))
            {
                foreach (var record in records)
                {
                    await writer.WriteAsync(record);
                }
            }

            stream.Position = 0;
            await using var reader = await AvroFileReader.OpenAsync(stream);
            var read = await reader.ReadAllAsync().ToListAsync();
            read.Should().HaveCount(records.Count);
            for (var j = 0; j < records.Count; j++)
            {
                ValueEquality.Instance.Equals(read[j], records[j]).Should().BeTrue(
                    $"record {j}: {ValueEquality.Format(read[j])} should be {ValueEquality.Format(records[j])}; schema {AvroSchemaWriter.ToJson(schema)}");
            }
        }
    }
}

/// <summary>
/// Resolution over random schema evolutions: the compiled resolving reader (streaming over the bytes) against
/// <see cref="ResolvedValueConverter"/> (converting the value decoded with the writer's schema), two independent paths.
/// </summary>
public sealed class AvroResolvingPropertyTests
{
    [Fact]
    public void Resolving_reads_of_random_evolutions_match_resolving_the_decoded_values()
    {
        var generator = new RandomSchemaGenerator(seed: 201, maxDepth: 3, includeErrors: false);
        var mutator = new SchemaMutator(seed: 202);
        var values = new RandomValueGenerator(seed: 203);
        var checkedPairs = 0;
        for (var attempt = 0; checkedPairs < 150 && attempt < 5000; attempt++)
        {
            var writer = generator.NextRecord();
            if (mutator.Mutate(writer, mutations: 1 + attempt % 3) is not { } reader
                || SchemaResolver.Resolve(writer, reader) is not { IsSuccess: true } resolution)
            {
                continue;
            }

            checkedPairs++;
            var compiled = AvroDatumReader.For(writer, reader);
            var convert = ResolvedValueConverter.Compile(resolution);
            for (var j = 0; j < 4; j++)
            {
                var value = values.Next(writer);
                var bytes = AvroDatumWriter.For(writer).ToArray(value);
                object? expected;
                try
                {
                    expected = convert(AvroDatumReader.For(writer).Read(bytes));
                }
                catch (AvroValueException)
                {
                    FluentActions.Invoking(() => compiled.Read(bytes)).Should().Throw<AvroDataException>();
                    continue;
                }

                var actual = compiled.Read(bytes);
                ValueEquality.Instance.Equals(actual, expected).Should().BeTrue(
                    $"{ValueEquality.Format(actual)} should be {ValueEquality.Format(expected)}\nwriter {AvroSchemaWriter.ToJson(writer)}\nreader {AvroSchemaWriter.ToJson(reader)}");
            }
        }

        checkedPairs.Should().Be(150);
    }
}
