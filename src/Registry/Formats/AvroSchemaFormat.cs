using Streams.Formats.Avro.Resolution;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Registry.Formats;

/// <summary>
/// Avro schemas: parsed with <see cref="AvroSchemaParser"/>, identified by their full normalized JSON
/// (<see cref="AvroSchemaWriter"/>: whitespace, attribute order and shorthand such as <c>{"type":"int"}</c> for
/// <c>"int"</c> do not matter; defaults, logical types, aliases and docs do, because they change how data
/// resolves), and checked with Avro schema resolution (<see cref="AvroCompatibility"/>).
/// </summary>
public sealed class AvroSchemaFormat : ISchemaFormat
{
    /// <inheritdoc />
    public string SchemaType => SchemaTypes.Avro;

    /// <inheritdoc />
    public ParsedSchema Parse(string schema, IReadOnlyList<KeyValuePair<string, ParsedSchema>> references)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(references);
        var referenced = new List<Schema>(references.Count);
        foreach (var (name, parsed) in references)
        {
            if (parsed.Model is not Schema avro)
            {
                throw SchemaRegistryException.InvalidSchema(
                    $"Invalid schema reference '{name}': an Avro schema can only reference Avro schemas, not {parsed.Format.SchemaType}.");
            }

            referenced.Add(avro);
        }

        Schema model;
        try
        {
            model = AvroSchemaParser.Parse(schema, referenced);
        }
        catch (SchemaException e)
        {
            throw SchemaRegistryException.InvalidSchema(
                $"Invalid schema: {e.Message}" + (string.IsNullOrEmpty(e.Path) ? "" : $" (at {e.Path})"));
        }

        var full = AvroSchemaWriter.ToJson(model);

        // With references the full form would define the referenced types inline, which the registry then
        // could not parse against the same references again: normalization keeps the text as given.
        return new ParsedSchema(this, full, references.Count == 0 ? full : schema, model);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> CanRead(ParsedSchema reader, ParsedSchema writer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        return AvroCompatibility.CanRead((Schema)reader.Model, (Schema)writer.Model).Select(i => i.ToString()).ToList();
    }
}
