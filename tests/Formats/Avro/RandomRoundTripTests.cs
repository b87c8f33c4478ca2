using Streams.Formats.Avro.Json;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

/// <summary>Seeded property tests over <see cref="RandomSchemaGenerator"/> and <see cref="RandomValueGenerator"/>.</summary>
public sealed class RandomRoundTripTests
{
    private const int Schemas = 300;

    [Fact]
    public void Written_schemas_parse_back_to_the_same_schema()
    {
        var generator = new RandomSchemaGenerator(seed: 1);
        for (var i = 0; i < Schemas; i++)
        {
            var schema = generator.NextSchema();
            var json = AvroSchemaWriter.ToJson(schema);

            var parsed = AvroSchemaParser.Parse(json);

            CanonicalForm.Of(parsed).Should().Be(CanonicalForm.Of(schema), json);
            AvroSchemaWriter.ToJson(parsed).Should().Be(json, "the full form keeps every attribute");
            AvroSchemaWriter.ToJson(AvroSchemaParser.Parse(AvroSchemaWriter.ToJson(schema, indented: true))).Should().Be(json);
        }
    }

    [Fact]
    public void Values_round_trip_through_the_json_encoding()
    {
        var schemas = new RandomSchemaGenerator(seed: 2);
        var values = new RandomValueGenerator(seed: 3);
        for (var i = 0; i < Schemas; i++)
        {
            var schema = schemas.NextSchema();
            for (var j = 0; j < 5; j++)
            {
                var value = values.Next(schema);

                var text = AvroJsonEncoder.EncodeToString(value, schema);
                var decoded = AvroJsonDecoder.Decode(text, schema);

                ValueEquality.Instance.Equals(decoded, value).Should().BeTrue(
                    $"{ValueEquality.Format(decoded)} should be {ValueEquality.Format(value)}; JSON {text}; schema {AvroSchemaWriter.ToJson(schema)}");
            }

            var defaultValue = values.NextDefault(schema);
            ValueEquality.Instance.Equals(AvroJsonDecoder.DecodeDefault(AvroJsonEncoder.EncodeDefault(defaultValue, schema), schema), defaultValue)
                .Should().BeTrue(AvroSchemaWriter.ToJson(schema));
        }
    }

    [Fact]
    public void A_schema_resolves_against_itself_without_conversions()
    {
        var generator = new RandomSchemaGenerator(seed: 4);
        for (var i = 0; i < Schemas; i++)
        {
            var schema = generator.NextSchema();

            var resolution = SchemaResolver.Resolve(schema, schema);

            resolution.IsSuccess.Should().BeTrue(string.Join("; ", resolution.Errors));
            resolution.RuntimeErrors.Should().BeEmpty();
            AvroCompatibility.CanRead(schema, schema).Should().BeEmpty();
            AvroCompatibility.CanRead(AvroSchemaParser.Parse(AvroSchemaWriter.ToJson(schema)), schema).Should().BeEmpty();
        }
    }

    [Fact]
    public void Generators_are_deterministic()
    {
        var a = new RandomSchemaGenerator(seed: 9);
        var b = new RandomSchemaGenerator(seed: 9);
        for (var i = 0; i < 20; i++)
        {
            AvroSchemaWriter.ToJson(a.NextSchema()).Should().Be(AvroSchemaWriter.ToJson(b.NextSchema()));
        }

        var schema = new RandomSchemaGenerator(seed: 10).NextRecord();
        ValueEquality.Instance.Equals(new RandomValueGenerator(5).Next(schema), new RandomValueGenerator(5).Next(schema)).Should().BeTrue();
    }
}
