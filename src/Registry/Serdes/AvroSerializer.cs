using System.Buffers;
using System.Collections.Concurrent;
using Confluent.Kafka;
using Streams.Formats.Avro;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Model;
using Streams.Registry.Client;

namespace Streams.Registry.Serdes;

/// <summary>
/// Serializes <see cref="GenericRecord"/>s in Confluent's wire format (<see cref="WireFormat"/>) with schemas
/// from a registry: the record's own schema, registered or looked up under the subject its
/// <see cref="SubjectNameStrategy"/> names, or with <see cref="AvroSerializerConfig.UseLatestVersion"/> the
/// subject's latest schema. Usable by Confluent.Kafka producers as a synchronous or asynchronous serializer.
/// </summary>
public sealed class AvroSerializer : IAsyncSerializer<GenericRecord>, ISerializer<GenericRecord>
{
    private readonly AvroSchemaCache _schemas;
    private readonly AvroSerializerConfig _config;
    // Keyed by what the subject is derived from rather than the subject itself, so that the warm path neither builds
    // the subject string nor the record's full name for every message.
    private readonly ConcurrentDictionary<(string? Topic, MessageComponentType Component, RecordSchema Schema), (int Id, AvroDatumWriter Writer)> _writers = new();

    // The entry used last: a producer mostly writes one schema to one topic, and comparing references is cheaper than
    // hashing the key. Replaced whole (an immutable record), so readers on other threads see a consistent entry.
    private KnownWriter? _last;

    /// <summary>Creates a serializer over <paramref name="client"/>.</summary>
    public AvroSerializer(ISchemaRegistryClient client, AvroSerializerConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _schemas = new AvroSchemaCache(client);
        _config = config ?? new AvroSerializerConfig();
    }

    /// <inheritdoc />
    public async Task<byte[]> SerializeAsync(GenericRecord data, SerializationContext context)
    {
        if (data is null)
        {
            return null!; // A null value is a Kafka tombstone, written as no bytes at all.
        }

        var (id, writer) = TryGetKnown(data, context, out var known) ? known : await GetWriterAsync(data.Schema, context);
        return Encode(id, writer, data, context);
    }

    /// <inheritdoc />
    public byte[] Serialize(GenericRecord data, SerializationContext context)
    {
        if (data is null)
        {
            return null!;
        }

        // Once a schema's id is known the synchronous path encodes without touching a task.
        return TryGetKnown(data, context, out var known)
            ? Encode(known.Id, known.Writer, data, context)
            : SerializeAsync(data, context).GetAwaiter().GetResult();
    }

    private bool TryGetKnown(GenericRecord data, SerializationContext context, out (int Id, AvroDatumWriter Writer) known)
    {
        if (_config.UseLatestVersion)
        {
            known = default; // The latest version can change: ask the client (which caches it for its TTL) every time.
            return false;
        }

        var last = _last;
        if (last is not null && ReferenceEquals(last.Schema, data.Schema) && last.Component == context.Component
            && string.Equals(last.Topic, context.Topic, StringComparison.Ordinal))
        {
            known = (last.Id, last.Writer);
            return true;
        }

        if (_writers.TryGetValue((context.Topic, context.Component, data.Schema), out known))
        {
            _last = new KnownWriter(context.Topic, context.Component, data.Schema, known.Id, known.Writer);
            return true;
        }

        return false;
    }

    private async Task<(int Id, AvroDatumWriter Writer)> GetWriterAsync(RecordSchema schema, SerializationContext context)
    {
        var subject = _config.SubjectNameStrategy.SubjectFor(context.Topic ?? "", context.Component == MessageComponentType.Key, schema.FullName);
        try
        {
            if (_config.UseLatestVersion)
            {
                var latest = await _schemas.Client.GetLatestSchemaAsync(subject);
                return (latest.Id, AvroDatumWriter.For(await _schemas.GetAsync(latest.Id)));
            }

            var submission = new SchemaSubmission(_schemas.JsonOf(schema));
            var id = _config.AutoRegisterSchemas
                ? await _schemas.Client.RegisterSchemaAsync(subject, submission, _config.NormalizeSchemas)
                : (await _schemas.Client.LookUpSchemaAsync(subject, submission, _config.NormalizeSchemas)).Id;

            // The record's own schema is the writer schema: the id names the same schema in the registry.
            return _writers.GetOrAdd((context.Topic, context.Component, schema), (id, AvroDatumWriter.For(schema)));
        }
        catch (SchemaRegistryException e)
        {
            throw new SchemaSerdesException(
                $"The registry refused the schema of {schema.FullName} under subject '{subject}': {e.Message}", context, null, e);
        }
        catch (HttpRequestException e)
        {
            throw new SchemaSerdesException($"The registry could not be reached for subject '{subject}': {e.Message}", context, null, e);
        }
    }

    private static byte[] Encode(int id, AvroDatumWriter writer, GenericRecord data, SerializationContext context)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WireFormat.WriteHeader(buffer.GetSpan(WireFormat.HeaderSize), id);
        buffer.Advance(WireFormat.HeaderSize);
        try
        {
            writer.Write(data, buffer);
        }
        catch (AvroValueException e)
        {
            throw new SchemaSerdesException($"The record does not fit schema {id}: {e.Message}", context, id, e);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed record KnownWriter(string? Topic, MessageComponentType Component, RecordSchema Schema, int Id, AvroDatumWriter Writer);
}
