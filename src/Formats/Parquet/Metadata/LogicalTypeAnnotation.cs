using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Metadata;

/// <summary>
/// A Parquet logical type (the parquet.thrift <c>LogicalType</c> union) with the parameters of its branch.
/// </summary>
/// <param name="Kind">The union branch.</param>
/// <param name="Scale">DECIMAL scale.</param>
/// <param name="Precision">DECIMAL precision.</param>
/// <param name="IsAdjustedToUtc">TIME/TIMESTAMP: instants (true) or local wall-clock values (false).</param>
/// <param name="Unit">TIME/TIMESTAMP unit.</param>
/// <param name="BitWidth">INTEGER width: 8, 16, 32 or 64.</param>
/// <param name="IsSigned">INTEGER signedness.</param>
public sealed record LogicalTypeAnnotation(
    LogicalTypeKind Kind,
    int Scale = 0,
    int Precision = 0,
    bool IsAdjustedToUtc = false,
    TimeUnit Unit = TimeUnit.Millis,
    int BitWidth = 0,
    bool IsSigned = true)
{
    public static LogicalTypeAnnotation String { get; } = new(LogicalTypeKind.String);
    public static LogicalTypeAnnotation Map { get; } = new(LogicalTypeKind.Map);
    public static LogicalTypeAnnotation List { get; } = new(LogicalTypeKind.List);
    public static LogicalTypeAnnotation Enum { get; } = new(LogicalTypeKind.Enum);
    public static LogicalTypeAnnotation Date { get; } = new(LogicalTypeKind.Date);
    public static LogicalTypeAnnotation Json { get; } = new(LogicalTypeKind.Json);
    public static LogicalTypeAnnotation Uuid { get; } = new(LogicalTypeKind.Uuid);

    /// <summary>A DECIMAL(precision, scale).</summary>
    public static LogicalTypeAnnotation Decimal(int precision, int scale) =>
        new(LogicalTypeKind.Decimal, Scale: scale, Precision: precision);

    /// <summary>A TIME of the given unit.</summary>
    public static LogicalTypeAnnotation Time(TimeUnit unit, bool isAdjustedToUtc) =>
        new(LogicalTypeKind.Time, IsAdjustedToUtc: isAdjustedToUtc, Unit: unit);

    /// <summary>A TIMESTAMP of the given unit.</summary>
    public static LogicalTypeAnnotation Timestamp(TimeUnit unit, bool isAdjustedToUtc) =>
        new(LogicalTypeKind.Timestamp, IsAdjustedToUtc: isAdjustedToUtc, Unit: unit);

    /// <summary>An INTEGER of the given width and signedness.</summary>
    public static LogicalTypeAnnotation Integer(int bitWidth, bool isSigned) =>
        new(LogicalTypeKind.Integer, BitWidth: bitWidth, IsSigned: isSigned);

    internal static LogicalTypeAnnotation Read(ref ThriftCompactReader reader)
    {
        var result = new LogicalTypeAnnotation(LogicalTypeKind.Unsupported);
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            if (type != ThriftCompactType.Struct)
            {
                reader.Skip(type);
                continue;
            }

            result = id switch
            {
                (short)LogicalTypeKind.Decimal => ReadDecimal(ref reader),
                (short)LogicalTypeKind.Time or (short)LogicalTypeKind.Timestamp => ReadTemporal(ref reader, (LogicalTypeKind)id),
                (short)LogicalTypeKind.Integer => ReadInteger(ref reader),
                _ when System.Enum.IsDefined((LogicalTypeKind)id) => SkipEmpty(ref reader, (LogicalTypeKind)id),
                _ => SkipEmpty(ref reader, LogicalTypeKind.Unsupported),
            };
        }

        reader.EndStruct();
        return result;
    }

    private static LogicalTypeAnnotation SkipEmpty(ref ThriftCompactReader reader, LogicalTypeKind kind)
    {
        reader.Skip(ThriftCompactType.Struct);
        return new LogicalTypeAnnotation(kind);
    }

    private static LogicalTypeAnnotation ReadDecimal(ref ThriftCompactReader reader)
    {
        int scale = 0, precision = 0;
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: scale = reader.ReadI32(); break;
                case 2: precision = reader.ReadI32(); break;
                default: reader.Skip(type); break;
            }
        }

        reader.EndStruct();
        return Decimal(precision, scale);
    }

    private static LogicalTypeAnnotation ReadTemporal(ref ThriftCompactReader reader, LogicalTypeKind kind)
    {
        var utc = false;
        var unit = TimeUnit.Millis;
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: utc = reader.ReadBool(); break;
                case 2:
                    // TimeUnit is a union of empty structs: the branch id is the unit.
                    reader.BeginStruct();
                    while (reader.ReadFieldHeader(out var unitId, out var unitType))
                    {
                        unit = (TimeUnit)unitId;
                        reader.Skip(unitType);
                    }

                    reader.EndStruct();
                    break;
                default: reader.Skip(type); break;
            }
        }

        reader.EndStruct();
        return new LogicalTypeAnnotation(kind, IsAdjustedToUtc: utc, Unit: unit);
    }

    private static LogicalTypeAnnotation ReadInteger(ref ThriftCompactReader reader)
    {
        int width = 0;
        var signed = true;
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: width = reader.ReadI8(); break;
                case 2: signed = reader.ReadBool(); break;
                default: reader.Skip(type); break;
            }
        }

        reader.EndStruct();
        return Integer(width, signed);
    }

    internal void Write(ThriftCompactWriter writer)
    {
        writer.BeginStruct();
        writer.BeginStructField((short)Kind);
        switch (Kind)
        {
            case LogicalTypeKind.Decimal:
                writer.WriteI32Field(1, Scale);
                writer.WriteI32Field(2, Precision);
                break;
            case LogicalTypeKind.Time or LogicalTypeKind.Timestamp:
                writer.WriteBoolField(1, IsAdjustedToUtc);
                writer.BeginStructField(2);
                writer.BeginStructField((short)Unit);
                writer.EndStruct();
                writer.EndStruct();
                break;
            case LogicalTypeKind.Integer:
                writer.WriteI8Field(1, (sbyte)BitWidth);
                writer.WriteBoolField(2, IsSigned);
                break;
        }

        writer.EndStruct();
        writer.EndStruct();
    }
}
