using System.Collections.Concurrent;
using System.IO.Compression;
using Confluent.Kafka;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Model;
using Streams.Registry.Client;

namespace Streams.Registry.Serdes;

/// <summary>
/// Deserializes Confluent wire-format messages (and Glue's, <see cref="GlueWireFormat"/>, uncompressed or zlib) into
/// <see cref="GenericRecord"/>s: the writer schema comes from the registry by the id (or version UUID) in the message
/// and is resolved to the caller's reader schema (or, without one, read as written). Usable by Confluent.Kafka
/// consumers as a synchronous or asynchronous deserializer.
/// </summary>
public sealed class AvroDeserializer : IAsyncDeserializer<GenericRecord>, IDeserializer<GenericRecord>
{
    private readonly AvroSchemaCache _schemas;
    private readonly Schema? _readerSchema;
    private readonly ConcurrentDictionary<int, AvroDatumReader> _readers = new();
    private readonly ConcurrentDictionary<Guid, int> _idsByVersionId = new();

    // The reader used last: a topic's messages mostly carry one schema id, and an id compare is cheaper than the
    // dictionary. Replaced whole (an immutable record), so readers on other threads see a consistent entry.
    private KnownReader? _last;

    /// <summary>
    /// Creates a deserializer over <paramref name="client"/>; records come back in <paramref name="readerSchema"/>
    /// when given (Avro schema resolution), else in the schema they were written with.
    /// </summary>
    public AvroDeserializer(ISchemaRegistryClient client, RecordSchema? readerSchema = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _schemas = new AvroSchemaCache(client);
        _readerSchema = readerSchema;
    }

    /// <inheritdoc />
    public async Task<GenericRecord> DeserializeAsync(ReadOnlyMemory<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull)
        {
            return null!;
        }

        if (data.Length > 0 && data.Span[0] == GlueWireFormat.HeaderVersion)
        {
            return await DeserializeGlueAsync(data, context);
        }

        var id = ReadHeader(data.Span, context);
        if (!TryGetKnown(id, out var reader))
        {
            reader = await CreateReaderAsync(id, context);
        }

        return Decode(reader, id, data.Span[WireFormat.HeaderSize..], WireFormat.HeaderSize, context);
    }

    /// <inheritdoc />
    public GenericRecord Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull)
        {
            return null!;
        }

        if (data.Length > 0 && data[0] == GlueWireFormat.HeaderVersion)
        {
            return DeserializeGlueAsync(data.ToArray(), context).GetAwaiter().GetResult();
        }

        var id = ReadHeader(data, context);
        var reader = TryGetKnown(id, out var known) ? known : CreateReaderAsync(id, context).GetAwaiter().GetResult();
        return Decode(reader, id, data[WireFormat.HeaderSize..], WireFormat.HeaderSize, context);
    }

    private async Task<GenericRecord> DeserializeGlueAsync(ReadOnlyMemory<byte> data, SerializationContext context)
    {
        if (data.Length < GlueWireFormat.HeaderSize)
        {
            throw new SchemaSerdesException(
                $"The message has {data.Length} bytes, fewer than Glue's {GlueWireFormat.HeaderSize}-byte wire-format header", context);
        }

        var compression = data.Span[1];
        if (compression is not (GlueWireFormat.NoCompression or GlueWireFormat.ZlibCompression))
        {
            throw new SchemaSerdesException(
                $"Unknown compression byte {compression} in Glue's wire-format header (0 is none, 5 is zlib)", context);
        }

        var versionId = GlueWireFormat.ReadVersionId(data.Span);
        if (!_idsByVersionId.TryGetValue(versionId, out var id))
        {
            id = await ResolveVersionIdAsync(versionId, context);
        }

        if (!TryGetKnown(id, out var reader))
        {
            reader = await CreateReaderAsync(id, context);
        }

        var body = data[GlueWireFormat.HeaderSize..];
        return compression == GlueWireFormat.ZlibCompression
            ? Decode(reader, id, Inflate(body.Span, id, context), 0, context)
            : Decode(reader, id, body.Span, GlueWireFormat.HeaderSize, context);
    }

    private async Task<int> ResolveVersionIdAsync(Guid versionId, SerializationContext context)
    {
        RegisteredSchema version;
        try
        {
            version = await _schemas.Client.GetSchemaByVersionIdAsync(versionId);
        }
        catch (SchemaRegistryException e) when (e.StatusCode == 404)
        {
            throw new UnknownSchemaVersionIdException(versionId, context, e);
        }
        catch (Exception e) when (e is SchemaRegistryException or HttpRequestException)
        {
            throw new SchemaSerdesException($"The schema of version {versionId} could not be fetched: {e.Message}", context, null, e);
        }

        return _idsByVersionId.GetOrAdd(versionId, version.Id);
    }

    private static byte[] Inflate(ReadOnlySpan<byte> body, int id, SerializationContext context)
    {
        try
        {
            using var input = new MemoryStream(body.ToArray());
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream(body.Length * 4);
            zlib.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new SchemaSerdesException($"The body is not valid zlib data, as Glue's compression byte 5 says: {e.Message}", context, id, e);
        }
    }

    private bool TryGetKnown(int id, out AvroDatumReader reader)
    {
        if (_last is { } last && last.Id == id)
        {
            reader = last.Reader;
            return true;
        }

        if (_readers.TryGetValue(id, out reader!))
        {
            _last = new KnownReader(id, reader);
            return true;
        }

        return false;
    }

    private static int ReadHeader(ReadOnlySpan<byte> data, SerializationContext context)
    {
        if (data.Length > 0 && data[0] != WireFormat.MagicByte)
        {
            throw new UnknownMagicByteException(data[0], context);
        }

        if (data.Length < WireFormat.HeaderSize)
        {
            throw new SchemaSerdesException(
                $"The message has {data.Length} bytes, fewer than the wire format's {WireFormat.HeaderSize}-byte header", context);
        }

        return WireFormat.ReadSchemaId(data);
    }

    private async Task<AvroDatumReader> CreateReaderAsync(int id, SerializationContext context)
    {
        Schema writer;
        try
        {
            writer = await _schemas.GetAsync(id);
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == RegistryErrorCodes.SchemaNotFound)
        {
            throw new UnknownSchemaIdException(id, context, e);
        }
        catch (Exception e) when (e is SchemaRegistryException or HttpRequestException or SchemaException or InvalidOperationException)
        {
            throw new SchemaSerdesException($"The writer schema could not be fetched: {e.Message}", context, id, e);
        }

        AvroDatumReader reader;
        try
        {
            reader = _readerSchema is null ? AvroDatumReader.For(writer) : AvroDatumReader.For(writer, _readerSchema);
        }
        catch (SchemaResolutionException e)
        {
            throw new SchemaSerdesException(
                $"Data written with schema {id} cannot be read as {_readerSchema?.DisplayName}: {e.Message}", context, id, e);
        }

        return _readers.GetOrAdd(id, reader);
    }

    /// <summary>Decodes <paramref name="body"/>, which starts at byte <paramref name="bodyOffset"/> of the message (0: of the inflated body).</summary>
    private static GenericRecord Decode(AvroDatumReader reader, int id, ReadOnlySpan<byte> body, int bodyOffset, SerializationContext context)
    {
        object? value;
        try
        {
            value = reader.Read(body);
        }
        catch (AvroDataException e)
        {
            throw new SchemaSerdesException(bodyOffset > 0
                ? $"Malformed Avro data at byte {e.Offset + bodyOffset} of the message: {e.Message}"
                : $"Malformed Avro data at byte {e.Offset} of the inflated body: {e.Message}", context, id, e);
        }

        return value as GenericRecord
               ?? throw new SchemaSerdesException(
                   $"Schema {id} is {reader.ReaderSchema.DisplayName}, not a record", context, id);
    }

    private sealed record KnownReader(int Id, AvroDatumReader Reader);
}
