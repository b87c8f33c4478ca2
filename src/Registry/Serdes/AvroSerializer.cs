using System.Collections.Concurrent;
using System.IO.Compression;
using Confluent.Kafka;
using Streams.Formats;
using Streams.Formats.Avro;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Model;
using Streams.Registry.Client;

namespace Streams.Registry.Serdes;

/// <summary>
/// Serializes <see cref="GenericRecord"/>s in Confluent's wire format (<see cref="WireFormat"/>), or with
/// <see cref="AvroSerializerConfig.WireFormat"/> in Glue's (<see cref="GlueWireFormat"/>, naming the version's UUID), with schemas
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
    private readonly ConcurrentDictionary<(string? Topic, MessageComponentType Component, RecordSchema Schema), (int Id, AvroDatumWriter Writer, Guid VersionId)> _writers = new();

    // The entry used last: a producer mostly writes one schema to one topic, and comparing references is cheaper than
    // hashing the key. Replaced whole (an immutable record), so readers on other threads see a consistent entry.
    private KnownWriter? _last;

    [ThreadStatic]
    private static ByteBuffer? _scratch;

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

        var (id, writer, versionId) = TryGetKnown(data.Schema, context, out var known) ? known : await GetWriterAsync(data.Schema, context);
        return Encode(id, writer, versionId, data, context);
    }

    /// <inheritdoc />
    public byte[] Serialize(GenericRecord data, SerializationContext context)
    {
        if (data is null)
        {
            return null!;
        }

        // Once a schema's id is known the synchronous path encodes without touching a task.
        return TryGetKnown(data.Schema, context, out var known)
            ? Encode(known.Id, known.Writer, known.VersionId, data, context)
            : SerializeAsync(data, context).GetAwaiter().GetResult();
    }

    private bool TryGetKnown(RecordSchema schema, SerializationContext context, out (int Id, AvroDatumWriter Writer, Guid VersionId) known)
    {
        if (_config.UseLatestVersion)
        {
            known = default; // The latest version can change: ask the client (which caches it for its TTL) every time.
            return false;
        }

        var last = _last;
        if (last is not null && ReferenceEquals(last.Schema, schema) && last.Component == context.Component
            && string.Equals(last.Topic, context.Topic, StringComparison.Ordinal))
        {
            known = (last.Id, last.Writer, last.VersionId);
            return true;
        }

        if (_writers.TryGetValue((context.Topic, context.Component, schema), out known))
        {
            _last = new KnownWriter(context.Topic, context.Component, schema, known.Id, known.Writer, known.VersionId);
            return true;
        }

        return false;
    }

    private async Task<(int Id, AvroDatumWriter Writer, Guid VersionId)> GetWriterAsync(RecordSchema schema, SerializationContext context)
    {
        var subject = _config.Subject ?? _config.SubjectNameStrategy.SubjectFor(context.Topic ?? "", context.Component == MessageComponentType.Key, schema.FullName);
        var glue = _config.WireFormat == MessageWireFormat.Glue;
        try
        {
            if (_config.UseLatestVersion)
            {
                var latest = await _schemas.Client.GetLatestSchemaAsync(subject);
                var latestVersionId = glue ? await _schemas.Client.GetVersionIdAsync(subject, latest.Version) : Guid.Empty;
                return (latest.Id, AvroDatumWriter.For(await _schemas.GetAsync(latest.Id)), latestVersionId);
            }

            var submission = new SchemaSubmission(_schemas.JsonOf(schema));
            var id = _config.AutoRegisterSchemas
                ? await _schemas.Client.RegisterSchemaAsync(subject, submission, _config.NormalizeSchemas)
                : (await _schemas.Client.LookUpSchemaAsync(subject, submission, _config.NormalizeSchemas)).Id;

            // Glue's header names the version, not the schema id: the version the schema has under this subject.
            var versionId = glue
                ? await _schemas.Client.GetVersionIdAsync(subject,
                    (await _schemas.Client.LookUpSchemaAsync(subject, submission, _config.NormalizeSchemas)).Version)
                : Guid.Empty;

            // The record's own schema is the writer schema: the id names the same schema in the registry.
            return _writers.GetOrAdd((context.Topic, context.Component, schema), (id, AvroDatumWriter.For(schema), versionId));
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

    /// <summary>
    /// Appends the message for <paramref name="data"/> (header and body) to <paramref name="output"/>, for producers that
    /// copy the bytes on and so need no array per message. On failure <paramref name="output"/> is left as it was.
    /// </summary>
    /// <exception cref="SchemaSerdesException">The record does not fit its schema, or the registry refused or could not be reached.</exception>
    public void Serialize(GenericRecord data, SerializationContext context, ByteBuffer output)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(output);
        var (id, writer, versionId) = TryGetKnown(data.Schema, context, out var known)
            ? known
            : GetWriterAsync(data.Schema, context).GetAwaiter().GetResult();
        Encode(id, writer, versionId, data, context, output);
    }

    /// <summary>
    /// Appends the message for a record of <paramref name="schema"/> already in Avro's binary encoding (<paramref name="body"/>,
    /// for instance a datum of a container file written with that schema): the header <see cref="Serialize(GenericRecord,
    /// SerializationContext, ByteBuffer)"/> writes for the schema, then the body as it is. The bytes are not checked against
    /// the schema: the caller knows they are of it.
    /// </summary>
    /// <exception cref="SchemaSerdesException">The registry refused the schema or could not be reached.</exception>
    public void SerializeEncoded(RecordSchema schema, ReadOnlySpan<byte> body, SerializationContext context, ByteBuffer output)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(output);
        var (id, _, versionId) = TryGetKnown(schema, context, out var known)
            ? known
            : GetWriterAsync(schema, context).GetAwaiter().GetResult();
        var start = output.Length;
        var headerSize = WriteHeader(id, versionId, output);
        output.Write(body);
        Compress(start, headerSize, output);
    }

    private byte[] Encode(int id, AvroDatumWriter writer, Guid versionId, GenericRecord data, SerializationContext context)
    {
        // One scratch buffer per thread: the message is encoded there and copied once into its array.
        var buffer = _scratch ??= new ByteBuffer(256);
        buffer.Clear();
        Encode(id, writer, versionId, data, context, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private void Encode(int id, AvroDatumWriter writer, Guid versionId, GenericRecord data, SerializationContext context, ByteBuffer output)
    {
        var start = output.Length;
        var headerSize = WriteHeader(id, versionId, output);
        try
        {
            writer.Write(data, output);
        }
        catch (AvroValueException e)
        {
            output.Truncate(start);
            throw new SchemaSerdesException($"The record does not fit schema {id}: {e.Message}", context, id, e);
        }

        Compress(start, headerSize, output);
    }

    /// <summary>Appends the wire format's header; returns its size.</summary>
    private int WriteHeader(int id, Guid versionId, ByteBuffer output)
    {
        var glue = _config.WireFormat == MessageWireFormat.Glue;
        var headerSize = glue ? GlueWireFormat.HeaderSize : WireFormat.HeaderSize;
        if (glue)
        {
            GlueWireFormat.WriteHeader(output.GetSpan(headerSize), versionId,
                _config.GlueZlib ? GlueWireFormat.ZlibCompression : GlueWireFormat.NoCompression);
        }
        else
        {
            WireFormat.WriteHeader(output.GetSpan(headerSize), id);
        }

        output.Advance(headerSize);
        return headerSize;
    }

    /// <summary>With Glue's zlib compression, replaces the body of the message from <paramref name="start"/> by its deflated form.</summary>
    private void Compress(int start, int headerSize, ByteBuffer output)
    {
        if (_config.WireFormat == MessageWireFormat.Glue && _config.GlueZlib)
        {
            var deflated = Deflated(output.WrittenSpan[start..], headerSize);
            output.Truncate(start);
            output.Write(deflated);
        }
    }

    /// <summary>The header as it is, then the body zlib-compressed.</summary>
    private static byte[] Deflated(ReadOnlySpan<byte> message, int headerSize)
    {
        using var output = new MemoryStream(message.Length + 16);
        output.Write(message[..headerSize]);
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(message[headerSize..]);
        }

        return output.ToArray();
    }

    private sealed record KnownWriter(string? Topic, MessageComponentType Component, RecordSchema Schema, int Id, AvroDatumWriter Writer,
        Guid VersionId);
}
