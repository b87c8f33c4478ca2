namespace Streams.Formats.Model;

/// <summary>
/// A logical type annotation (Avro 1.11 names). Values of annotated schemas are carried as the CLR
/// types listed in docs/record-model.md, e.g. <c>date</c> as <see cref="DateOnly"/>.
/// </summary>
/// <param name="Name">The logical type name, e.g. <c>decimal</c>, <c>timestamp-micros</c>.</param>
/// <param name="Precision">Decimal precision; 0 for other logical types.</param>
/// <param name="Scale">Decimal scale; 0 for other logical types.</param>
public sealed record LogicalType(string Name, int Precision = 0, int Scale = 0)
{
    public const string DecimalName = "decimal";
    public const string UuidName = "uuid";
    public const string DateName = "date";
    public const string TimeMillisName = "time-millis";
    public const string TimeMicrosName = "time-micros";
    public const string TimestampMillisName = "timestamp-millis";
    public const string TimestampMicrosName = "timestamp-micros";
    public const string TimestampNanosName = "timestamp-nanos";
    public const string LocalTimestampMillisName = "local-timestamp-millis";
    public const string LocalTimestampMicrosName = "local-timestamp-micros";
    public const string LocalTimestampNanosName = "local-timestamp-nanos";
    public const string DurationName = "duration";

    public static LogicalType Uuid { get; } = new(UuidName);
    public static LogicalType Date { get; } = new(DateName);
    public static LogicalType TimeMillis { get; } = new(TimeMillisName);
    public static LogicalType TimeMicros { get; } = new(TimeMicrosName);
    public static LogicalType TimestampMillis { get; } = new(TimestampMillisName);
    public static LogicalType TimestampMicros { get; } = new(TimestampMicrosName);
    public static LogicalType TimestampNanos { get; } = new(TimestampNanosName);
    public static LogicalType LocalTimestampMillis { get; } = new(LocalTimestampMillisName);
    public static LogicalType LocalTimestampMicros { get; } = new(LocalTimestampMicrosName);
    public static LogicalType LocalTimestampNanos { get; } = new(LocalTimestampNanosName);
    public static LogicalType Duration { get; } = new(DurationName);

    /// <summary>A decimal with the given precision and scale.</summary>
    public static LogicalType Decimal(int precision, int scale) => new(DecimalName, precision, scale);

    /// <summary>True for the timestamp and local-timestamp families.</summary>
    public bool IsTimestamp => Name.Contains("timestamp", StringComparison.Ordinal);
}
