using Confluent.Kafka;
using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Registry;
using Streams.Registry.Client;
using Streams.Registry.Serdes;
using Streams.Serving;
using Streams.Streaming.DeadLetters;

namespace Streams.Streaming.MicroBatches;

/// <summary>
/// Enforces a pipeline's reader schema on consumed records: each value must be in Confluent's wire format (or
/// Glue's), name a schema id (or version UUID) the registry has, decode with that writer schema and resolve to the reader schema.
/// Records that pass come out as one <see cref="RecordBatch"/> of the reader schema; the others as dead
/// letters with the reason. A registry that cannot be reached is not the record's fault: that throws
/// <see cref="RegistryUnavailableException"/>, so the micro-batch is retried rather than dead-lettered.
/// </summary>
public sealed class SchemaEnforcer
{
    private readonly AvroDeserializer _deserializer;

    /// <summary>Creates an enforcer reading through <paramref name="client"/> into <paramref name="readerSchema"/>.</summary>
    public SchemaEnforcer(ISchemaRegistryClient client, RecordSchema readerSchema)
    {
        ArgumentNullException.ThrowIfNull(readerSchema);
        ReaderSchema = readerSchema;
        _deserializer = new AvroDeserializer(client, readerSchema);
    }

    /// <summary>The schema every accepted record is read as.</summary>
    public RecordSchema ReaderSchema { get; }

    /// <summary>Splits <paramref name="records"/> into the accepted batch (with positions) and dead letters.</summary>
    public async Task<(RecordBatch Accepted, IReadOnlyList<KafkaDeadLetter> Rejected)> EnforceAsync(IReadOnlyList<KafkaRecord> records)
    {
        var accepted = RecordBatch.CreateBuilder(ReaderSchema, records.Count);
        List<KafkaDeadLetter>? rejected = null;
        foreach (var record in records)
        {
            var (decoded, failure) = await DecodeAsync(record);
            if (failure is not null)
            {
                (rejected ??= []).Add(failure);
            }
            else
            {
                accepted.Add(decoded!, new SourcePosition(record.Topic, record.Partition, record.Offset));
            }
        }

        return (accepted.Build(), rejected ?? (IReadOnlyList<KafkaDeadLetter>)[]);
    }

    private async Task<(GenericRecord? Record, KafkaDeadLetter? Failure)> DecodeAsync(KafkaRecord record)
    {
        var schemaId = record.SchemaId;
        if (record.Value is null)
        {
            return Reject("the record has no value (a tombstone); the pipeline's source needs an Avro value");
        }

        var context = new SerializationContext(MessageComponentType.Value, record.Topic);
        try
        {
            return (await _deserializer.DeserializeAsync(record.Value, isNull: false, context), null);
        }
        catch (UnknownMagicByteException e)
        {
            return Reject(e.Message);
        }
        catch (UnknownSchemaIdException e)
        {
            return Reject(e.Message);
        }
        catch (SchemaSerdesException e) when (IsUnavailable(e.InnerException))
        {
            throw new RegistryUnavailableException(
                $"The schema registry could not be asked for schema id {schemaId} ({e.InnerException!.Message}); " +
                "check that it is running and Streams:Registry:Url points at it. The micro-batch was not written and will be retried.", e);
        }
        catch (SchemaSerdesException e)
        {
            return Reject(e.Message);
        }

        (GenericRecord?, KafkaDeadLetter?) Reject(string reason) => (null, new(record, schemaId, KafkaDeadLetter.SchemaStage, reason));
    }

    private static bool IsUnavailable(Exception? inner) =>
        inner is HttpRequestException or TaskCanceledException
        || (inner is SchemaRegistryException { StatusCode: >= 500 });
}
