namespace Streams.Streaming.Produce;

/// <summary>What <see cref="FileProducer"/> sent.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Subject">The registry subject.</param>
/// <param name="SchemaId">The registry id of the schema the values were written with.</param>
/// <param name="Records">Records the broker acknowledged.</param>
/// <param name="Bytes">Key and value bytes of those records.</param>
/// <param name="Rejected">Records not sent because they do not fit the schema.</param>
/// <param name="Failed">Records the broker did not take.</param>
/// <param name="FirstFailure">Why the first of those failed, or null.</param>
/// <param name="Passes">Times the file was read (more than one with repeat).</param>
/// <param name="Elapsed">From the first record read to the last acknowledgement.</param>
public sealed record ProducedFile(string Topic, string Subject, int SchemaId, long Records, long Bytes, long Rejected, long Failed,
    string? FirstFailure, int Passes, TimeSpan Elapsed)
{
    /// <summary>
    /// True when the file is Avro written with the schema produced with (same canonical form, no logical types) and no --key:
    /// each record's bytes were sent as they are, not decoded and encoded again.
    /// </summary>
    public bool AvroPassthrough { get; init; }

    /// <summary>
    /// Records the reader handed over already encoded (JSON lines transcoded straight to Avro binary, without --key), not
    /// decoded and encoded again; the other records of the file took the decoding path.
    /// </summary>
    public long Transcoded { get; init; }

    /// <summary>Acknowledged records per second.</summary>
    public double RecordsPerSecond => Elapsed.TotalSeconds > 0 ? Records / Elapsed.TotalSeconds : 0;
}

/// <summary>A record that was not sent (it does not fit the schema) or, with <see cref="Undelivered"/>, not delivered: where it is and why.</summary>
/// <param name="File">The file.</param>
/// <param name="Position">Its line (JSON lines), row (CSV) or record number (Avro, Parquet), from 1.</param>
/// <param name="Reason">What does not fit, or why the broker did not take it.</param>
public sealed record RejectedRecord(string File, string Position, string Reason)
{
    /// <summary>True when the record was sent and the broker did not take it (counted in <see cref="ProducedFile.Failed"/>, not as rejected).</summary>
    public bool Undelivered { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{File} {Position}: {Reason}";
}

/// <summary>How far <see cref="FileProducer"/> is.</summary>
/// <param name="Records">Records acknowledged so far.</param>
/// <param name="Rejected">Records rejected so far.</param>
/// <param name="Bytes">Bytes acknowledged so far.</param>
/// <param name="Pass">The current pass over the file, from 1.</param>
/// <param name="Fraction">How much of the current pass was read, 0 to 1.</param>
public sealed record ProduceProgress(long Records, long Rejected, long Bytes, int Pass, double Fraction);
