using System.Text;
using Confluent.Kafka;
using Streams.Formats;
using Streams.Formats.Json;
using Streams.Formats.Model;
using Streams.Registry.Serdes;

namespace Streams.Streaming.Produce;

/// <summary>
/// Records of one read batch as <see cref="FileProducer"/> sends them: every key and value encoded back to back in one
/// pooled buffer (no array per message; librdkafka copies each from there), with what else the batch brought (records not
/// sent, how far the file was read) for the thread that hands them over.
/// </summary>
internal sealed class EncodedBatch(int pass) : IDisposable
{
    /// <summary>The pass over the file the records come from, from 1.</summary>
    public int Pass => pass;

    /// <summary>The keys and values, back to back.</summary>
    public ByteBuffer Bytes { get; } = new(64 * 1024);

    /// <summary>Where each message lies in <see cref="Bytes"/>.</summary>
    public List<EncodedMessage> Messages { get; } = new(1024);

    /// <summary>Records of the batch that are not sent: they do not fit the schema.</summary>
    public List<RejectedRecord> Rejected { get; } = [];

    /// <summary>How much of the pass was read with this batch, 0 to 1.</summary>
    public double Fraction { get; set; }

    /// <summary>The messages.</summary>
    public int Count => Messages.Count;

    /// <summary>Encodes <paramref name="record"/> (the <paramref name="keyField"/> value as its key, if any) as record <paramref name="ordinal"/>.</summary>
    /// <exception cref="SchemaSerdesException">The record does not fit the schema; nothing was added.</exception>
    public void Add(GenericRecord record, long ordinal, AvroSerializer serializer, SerializationContext context, Field? keyField)
    {
        var valueStart = Bytes.Length;
        serializer.Serialize(record, context, Bytes);
        var keyStart = Bytes.Length;
        var keyLength = -1;
        if (keyField is not null && record[keyField.Position] is { } key)
        {
            var text = key as string ?? JsonLinesWriter.ToJson(keyField.Schema, key);
            keyLength = Encoding.UTF8.GetBytes(text, Bytes.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
            Bytes.Advance(keyLength);
        }

        Messages.Add(new EncodedMessage(ordinal, valueStart, keyStart - valueStart, keyStart, keyLength));
    }

    /// <summary>Adds record <paramref name="ordinal"/> of <paramref name="schema"/> from its Avro binary encoding, as it is; no key.</summary>
    /// <exception cref="SchemaSerdesException">The registry refused the schema or could not be reached.</exception>
    public void AddEncoded(RecordSchema schema, ReadOnlySpan<byte> body, long ordinal, AvroSerializer serializer, SerializationContext context)
    {
        var valueStart = Bytes.Length;
        serializer.SerializeEncoded(schema, body, context, Bytes);
        Messages.Add(new EncodedMessage(ordinal, valueStart, Bytes.Length - valueStart, Bytes.Length, -1));
    }

    /// <inheritdoc />
    public void Dispose() => Bytes.Dispose();
}
