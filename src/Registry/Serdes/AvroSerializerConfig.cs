namespace Streams.Registry.Serdes;

/// <summary>Settings of <see cref="AvroSerializer"/>.</summary>
public sealed record AvroSerializerConfig
{
    /// <summary>Registers a record's schema under its subject when it is not there yet (default); otherwise it must be.</summary>
    public bool AutoRegisterSchemas { get; init; } = true;

    /// <summary>
    /// Writes every record with the subject's latest schema (fields mapped by name) instead of the record's own,
    /// registering nothing. Takes precedence over <see cref="AutoRegisterSchemas"/>.
    /// </summary>
    public bool UseLatestVersion { get; init; }

    /// <summary>Asks the registry to normalize schemas it registers or looks up.</summary>
    public bool NormalizeSchemas { get; init; }

    /// <summary>The header written before the Avro body: Confluent's (default) or Glue's.</summary>
    public MessageWireFormat WireFormat { get; init; } = MessageWireFormat.Confluent;

    /// <summary>In Glue's wire format, zlib-compresses the body (compression byte 5).</summary>
    public bool GlueZlib { get; init; }

    /// <summary>How subjects are named.</summary>
    public SubjectNameStrategy SubjectNameStrategy { get; init; } = SubjectNameStrategy.Topic;

    /// <summary>
    /// The one subject every schema is registered or looked up under, whatever the topic (a producer told which subject
    /// to write, say); null (default): <see cref="SubjectNameStrategy"/> names it.
    /// </summary>
    public string? Subject { get; init; }
}
