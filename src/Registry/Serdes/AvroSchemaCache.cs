using System.Collections.Concurrent;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Registry.Client;

namespace Streams.Registry.Serdes;

/// <summary>
/// Avro schemas of a registry parsed once per id, references resolved through the registry, and the JSON
/// text of local schemas written once per schema object.
/// </summary>
internal sealed class AvroSchemaCache(ISchemaRegistryClient client)
{
    private const int MaxReferenceDepth = 32;

    private readonly ConcurrentDictionary<int, Schema> _byId = new();
    private readonly ConcurrentDictionary<Schema, string> _json = new(ReferenceEqualityComparer.Instance);

    public ISchemaRegistryClient Client => client;

    /// <summary>The schema of <paramref name="id"/> if it was parsed already (the synchronous fast path).</summary>
    public bool TryGet(int id, out Schema schema) => _byId.TryGetValue(id, out schema!);

    public async Task<Schema> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        if (_byId.TryGetValue(id, out var schema))
        {
            return schema;
        }

        var stored = await client.GetSchemaAsync(id, cancellationToken);
        return _byId.GetOrAdd(id, await ParseAsync(stored.SchemaType, stored.Schema, stored.References, 0, cancellationToken));
    }

    /// <summary>The Avro JSON of a local schema, as sent to the registry.</summary>
    public string JsonOf(Schema schema) => _json.GetOrAdd(schema, static s => AvroSchemaWriter.ToJson(s));

    private async Task<Schema> ParseAsync(string schemaType, string text, IReadOnlyList<SchemaReference> references, int depth,
        CancellationToken cancellationToken)
    {
        if (schemaType != SchemaTypes.Avro)
        {
            throw new InvalidOperationException($"The registry schema is of type {schemaType}, not AVRO.");
        }

        if (depth > MaxReferenceDepth)
        {
            throw new InvalidOperationException($"Schema references nest deeper than {MaxReferenceDepth} levels.");
        }

        var referenced = new List<Schema>(references.Count);
        foreach (var reference in references)
        {
            var registered = await client.GetSchemaAsync(reference.Subject, reference.Version, cancellationToken);
            referenced.Add(_byId.TryGetValue(registered.Id, out var known)
                ? known
                : _byId.GetOrAdd(registered.Id,
                    await ParseAsync(registered.SchemaType, registered.Schema, registered.References, depth + 1, cancellationToken)));
        }

        return AvroSchemaParser.Parse(text, referenced);
    }
}
