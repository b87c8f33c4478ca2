using Streams.Registry.Serdes;

namespace Streams.Streaming.Produce;

/// <summary>What <see cref="FileProducer"/> sends: a record file to a topic, encoded with a registry schema.</summary>
public sealed record FileProduceOptions
{
    /// <summary>The topic.</summary>
    public required string Topic { get; init; }

    /// <summary>The record file: <c>.jsonl</c>, <c>.csv</c>, <c>.avro</c> or <c>.parquet</c>.</summary>
    public required string FilePath { get; init; }

    /// <summary>An Avro schema file (<c>.avsc</c>) to encode with; null to use the subject's latest schema.</summary>
    public string? SchemaFile { get; init; }

    /// <summary>The registry subject; null for <c>&lt;topic&gt;-value</c>.</summary>
    public string? Subject { get; init; }

    /// <summary>Registers the schema under the subject when it is not there yet (default); otherwise it must be.</summary>
    public bool AutoRegister { get; init; } = true;

    /// <summary>A field whose value becomes the message key; null for keyless messages.</summary>
    public string? KeyField { get; init; }

    /// <summary>At most this many records per second; null for as fast as the broker takes them.</summary>
    public double? Rate { get; init; }

    /// <summary>Sends the file again and again until cancelled.</summary>
    public bool Repeat { get; init; }

    /// <summary>The header before each Avro value: Confluent's (magic byte 0, schema id) or Glue's (version 3, version UUID).</summary>
    public MessageWireFormat WireFormat { get; init; } = MessageWireFormat.Confluent;

    /// <summary>In Glue's wire format, zlib-compresses each value's body.</summary>
    public bool GlueZlib { get; init; }

    /// <summary>The subject used: <see cref="Subject"/> or <c>&lt;topic&gt;-value</c>.</summary>
    public string EffectiveSubject => Subject ?? Topic + "-value";
}
