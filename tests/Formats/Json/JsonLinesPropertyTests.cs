using System.Text.Json;
using Streams.Formats.Json;
using Streams.Formats.Model;
using Streams.Formats.Tests.Avro;

namespace Streams.Formats.Tests.Json;

/// <summary>Seeded property tests of the JSON lines rendering over random schemas and values.</summary>
public sealed class JsonLinesPropertyTests
{
    [Fact]
    public void Parsing_a_rendered_value_gives_a_value_that_renders_the_same()
    {
        // Plain JSON drops union branch names, so a value may come back in another branch that renders alike
        // (a long 5 in ["int","long"] comes back as int 5): the rendering, not the CLR value, is the fixpoint.
        var schemas = new RandomSchemaGenerator(seed: 301);
        var values = new RandomValueGenerator(seed: 302);
        for (var i = 0; i < 300; i++)
        {
            var schema = schemas.NextSchema();
            var parse = JsonValueParser.Compile(schema);
            for (var j = 0; j < 5; j++)
            {
                var text = JsonLinesWriter.ToJson(schema, values.Next(schema));
                using var document = JsonDocument.Parse(text);
                JsonLinesWriter.ToJson(schema, parse(document.RootElement)).Should().Be(text, Avro.AvroSchemaWriterAccess.Json(schema));
            }
        }
    }
}
