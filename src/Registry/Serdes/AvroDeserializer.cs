using System.Collections.Concurrent;
using Confluent.Kafka;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Model;
using Streams.Registry.Client;

namespace Streams.Registry.Serdes;

/// <summary>
/// Deserializes Confluent wire-format messages into <see cref="GenericRecord"/>s: the writer schema comes from
/// the registry by the id in the message and is resolved to the caller's reader schema (or, without one,
/// read as written). Usable by Confluent.Kafka consumers as a synchronous or asynchronous deserializer.
/// </summary>
public sealed class AvroDeserializer : IAsyncDeserializer<GenericRecord>, IDeserializer<GenericRecord>
{
    private readonly AvroSchemaCache _schemas;
    private readonly Schema? _readerSchema;
    private readonly ConcurrentDictionary<int, AvroDatumReader> _readers = new();

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

        var id = ReadHeader(data.Span, context);
        if (!TryGetKnown(id, out var reader))
        {
            reader = await CreateReaderAsync(id, context);
        }

        return Decode(reader, id, data.Span, context);
    }

    /// <inheritdoc />
    public GenericRecord Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull)
        {
            return null!;
        }

        var id = ReadHeader(data, context);
        var reader = TryGetKnown(id, out var known) ? known : CreateReaderAsync(id, context).GetAwaiter().GetResult();
        return Decode(reader, id, data, context);
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

    private static GenericRecord Decode(AvroDatumReader reader, int id, ReadOnlySpan<byte> data, SerializationContext context)
    {
        object? value;
        try
        {
            value = reader.Read(data[WireFormat.HeaderSize..]);
        }
        catch (AvroDataException e)
        {
            throw new SchemaSerdesException(
                $"Malformed Avro data at byte {e.Offset + WireFormat.HeaderSize} of the message: {e.Message}", context, id, e);
        }

        return value as GenericRecord
               ?? throw new SchemaSerdesException(
                   $"Schema {id} is {reader.ReaderSchema.DisplayName}, not a record", context, id);
    }

    private sealed record KnownReader(int Id, AvroDatumReader Reader);
}
