using System.Text.Json.Nodes;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro.Interop;

/// <summary>
/// Compatibility verdicts against python3-avro's checker on random schemas and random evolutions of them
/// (<see cref="RandomSchemaGenerator"/>, <see cref="SchemaMutator"/>), in both directions.
/// </summary>
public sealed class RandomCompatibilityInteropTests
{
    private const string Script = """
        import sys, json, warnings
        warnings.simplefilter("ignore")
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

    [Fact]
    public async Task Verdicts_on_random_evolutions_match_python_avro()
    {
        var generator = new RandomSchemaGenerator(seed: 21, maxDepth: 3, includeErrors: false);
        var mutator = new SchemaMutator(seed: 22);
        var pairs = new List<(Schema Writer, Schema Reader)>();
        while (pairs.Count < 400)
        {
            var original = generator.NextRecord();
            if (mutator.Mutate(original, mutations: 1 + (pairs.Count % 3)) is not { } evolved)
            {
                continue;
            }

            pairs.Add((original, evolved));
            pairs.Add((evolved, original));
        }

        var input = new JsonArray(pairs.Select(p => (JsonNode?)new JsonObject
        {
            ["writer"] = AvroSchemaWriter.ToJson(p.Writer),
            ["reader"] = AvroSchemaWriter.ToJson(p.Reader),
        }).ToArray());
        var python = (await PythonAvro.RunAsync(Script, input)).AsArray().Select(n => n!.GetValue<bool>()).ToArray();

        python.Should().HaveCount(pairs.Count);
        var compatible = 0;
        for (var i = 0; i < pairs.Count; i++)
        {
            var issues = AvroCompatibility.CanRead(pairs[i].Reader, pairs[i].Writer);
            (issues.Count == 0).Should().Be(python[i],
                $"writer {AvroSchemaWriter.ToJson(pairs[i].Writer)}\nreader {AvroSchemaWriter.ToJson(pairs[i].Reader)}\nours: {string.Join("; ", issues)}");
            compatible += python[i] ? 1 : 0;
        }

        // Both verdicts must be well represented for the comparison to mean something.
        compatible.Should().BeInRange(pairs.Count / 5, pairs.Count * 4 / 5);
    }
}
