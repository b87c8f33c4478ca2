namespace Streams.Formats.Model;

/// <summary>The Avro <c>duration</c> logical type: months, days and milliseconds, each unsigned 32-bit.</summary>
public readonly record struct DurationValue(uint Months, uint Days, uint Milliseconds);
