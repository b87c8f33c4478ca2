using Npgsql;
using Streams.Registry.Formats;
using Streams.Registry.Storage;

namespace Streams.Registry;

// Parsing submissions and stored schemas with their references, cached by id.
public sealed partial class SchemaRegistry
{
    /// <summary>Parses a schema (with its references) as the registry would, failing with 42201 when it is invalid.</summary>
    public async Task<ParsedSchema> ParseAsync(SchemaSubmission submission, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await ParseSubmissionAsync(connection, submission, cancellationToken)).Parsed;
    }

    /// <summary>The parsed form of the schema with global id <paramref name="id"/>.</summary>
    public async Task<ParsedSchema> GetParsedSchemaAsync(int id, CancellationToken cancellationToken = default)
    {
        if (_parsed.TryGetValue(id, out var cached))
        {
            return cached;
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await GetParsedAsync(connection, id, 0, cancellationToken);
    }

    private async Task<(ParsedSchema Parsed, IReadOnlyList<SchemaReference> References)> ParseSubmissionAsync(
        NpgsqlConnection connection, SchemaSubmission submission, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(submission.Schema))
        {
            throw SchemaRegistryException.InvalidSchema("Empty schema.");
        }

        if (submission.Schema.Length > MaxSchemaLength)
        {
            throw SchemaRegistryException.InvalidSchema(
                $"The schema has {submission.Schema.Length} characters; the registry accepts at most {MaxSchemaLength} (1 MiB).");
        }

        var references = submission.References ?? [];
        var parsed = await ParseAsync(connection, SchemaTypes.Normalize(submission.SchemaType), submission.Schema,
            references, 0, cancellationToken);
        return (parsed, references);
    }

    private async Task<ParsedSchema> ParseAsync(NpgsqlConnection connection, string schemaType, string text,
        IReadOnlyList<SchemaReference> references, int depth, CancellationToken cancellationToken)
    {
        if (!_formats.TryGetValue(schemaType, out var format))
        {
            throw SchemaRegistryException.InvalidSchema(
                $"Invalid schema type '{schemaType}'; this registry accepts {string.Join(", ", _formats.Keys)}.");
        }

        if (depth > MaxReferenceDepth)
        {
            throw SchemaRegistryException.InvalidSchema($"Schema references nest deeper than {MaxReferenceDepth} levels (a cycle?).");
        }

        var resolved = new List<KeyValuePair<string, ParsedSchema>>(references.Count);
        foreach (var reference in references)
        {
            if (string.IsNullOrEmpty(reference.Name) || string.IsNullOrEmpty(reference.Subject))
            {
                throw SchemaRegistryException.InvalidSchema("A schema reference needs a name, a subject and a version.");
            }

            var rows = await RegistryStore.GetVersionsAsync(connection, reference.Subject, cancellationToken);
            var row = reference.Version == -1 ? rows.LastOrDefault(r => !r.Deleted) : rows.FirstOrDefault(r => r.Version == reference.Version);
            if (row.Subject is null)
            {
                throw SchemaRegistryException.InvalidSchema(
                    $"Invalid schema reference '{reference.Name}': subject '{reference.Subject}' has no version {reference.Version}.");
            }

            resolved.Add(new(reference.Name, await GetParsedAsync(connection, row.SchemaId, depth + 1, cancellationToken)));
        }

        return format.Parse(text, resolved);
    }

    private async Task<ParsedSchema> GetParsedAsync(NpgsqlConnection connection, int id, int depth, CancellationToken cancellationToken)
    {
        if (_parsed.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var stored = await GetStoredAsync(connection, id, cancellationToken);
        var parsed = await ParseAsync(connection, stored.SchemaType, stored.Schema, stored.References, depth, cancellationToken);
        return _parsed.GetOrAdd(id, parsed);
    }
}
