using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Metadata;

/// <summary>One node of the flattened (depth-first) Parquet schema.</summary>
public sealed record SchemaElement
{
    /// <summary>The physical type of a leaf; <c>null</c> for a group.</summary>
    public PhysicalType? Type { get; init; }
    public int? TypeLength { get; init; }
    public FieldRepetitionType? RepetitionType { get; init; }
    public required string Name { get; init; }
    /// <summary>The number of children of a group; <c>null</c> for a leaf.</summary>
    public int? NumChildren { get; init; }
    public ConvertedType? ConvertedType { get; init; }
    public int? Scale { get; init; }
    public int? Precision { get; init; }
    public int? FieldId { get; init; }
    public LogicalTypeAnnotation? LogicalType { get; init; }

    internal static SchemaElement Read(ref ThriftCompactReader reader)
    {
        var e = new SchemaElement { Name = "" };
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: e = e with { Type = (PhysicalType)reader.ReadI32() }; break;
                case 2: e = e with { TypeLength = reader.ReadI32() }; break;
                case 3: e = e with { RepetitionType = (FieldRepetitionType)reader.ReadI32() }; break;
                case 4: e = e with { Name = reader.ReadString() }; break;
                case 5: e = e with { NumChildren = reader.ReadI32() }; break;
                case 6: e = e with { ConvertedType = (ConvertedType)reader.ReadI32() }; break;
                case 7: e = e with { Scale = reader.ReadI32() }; break;
                case 8: e = e with { Precision = reader.ReadI32() }; break;
                case 9: e = e with { FieldId = reader.ReadI32() }; break;
                case 10 when type == ThriftCompactType.Struct:
                    e = e with { LogicalType = LogicalTypeAnnotation.Read(ref reader) };
                    break;
                default: reader.Skip(type); break;
            }
        }

        reader.EndStruct();
        return e;
    }

    internal void Write(ThriftCompactWriter writer)
    {
        writer.BeginStruct();
        if (Type is { } t) writer.WriteI32Field(1, (int)t);
        if (TypeLength is { } length) writer.WriteI32Field(2, length);
        if (RepetitionType is { } repetition) writer.WriteI32Field(3, (int)repetition);
        writer.WriteStringField(4, Name);
        if (NumChildren is { } children) writer.WriteI32Field(5, children);
        if (ConvertedType is { } converted) writer.WriteI32Field(6, (int)converted);
        if (Scale is { } scale) writer.WriteI32Field(7, scale);
        if (Precision is { } precision) writer.WriteI32Field(8, precision);
        if (FieldId is { } fieldId) writer.WriteI32Field(9, fieldId);
        if (LogicalType is not null)
        {
            writer.WriteFieldHeader(10, ThriftCompactType.Struct);
            LogicalType.Write(writer);
        }

        writer.EndStruct();
    }
}
