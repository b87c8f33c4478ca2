using Streams.Formats.Model;
using Streams.Formats.Parquet.Metadata;
using ModelLogicalType = Streams.Formats.Model.LogicalType;

namespace Streams.Formats.Parquet.Schema;

/// <summary>
/// Maps the record model (Avro's type system) to Parquet schemas and back, keeping logical types:
/// <list type="bullet">
/// <item>nullable union <c>["null", T]</c> → OPTIONAL T; other fields REQUIRED.</item>
/// <item>record → group; array → the 3-level LIST (<c>group (LIST) { repeated group list { element } }</c>);
/// map → MAP (<c>group (MAP) { repeated group key_value { required binary key (STRING); value } }</c>).</item>
/// <item>a union of several non-null branches → a group with one OPTIONAL field per branch, named
/// <c>member0</c>, <c>member1</c>, … (the layout parquet-avro uses); exactly one member is set per value.
/// A group whose fields are all optional and named <c>member0..memberN</c> reads back as a union.</item>
/// <item>int → INT32; date → INT32 DATE; time-millis → INT32 TIME(MILLIS); long → INT64;
/// time-micros → INT64 TIME(MICROS); timestamp-{millis,micros,nanos} → INT64 TIMESTAMP(isAdjustedToUTC=true);
/// local-timestamp-* → INT64 TIMESTAMP(isAdjustedToUTC=false); float → FLOAT; double → DOUBLE.</item>
/// <item>string → BYTE_ARRAY STRING; enum → BYTE_ARRAY ENUM; bytes → BYTE_ARRAY; uuid → FIXED_LEN_BYTE_ARRAY(16) UUID;
/// decimal → BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY DECIMAL (INT32/INT64 when <see cref="ParquetSchemaOptions.DecimalAsInteger"/>
/// and the precision fits); fixed → FIXED_LEN_BYTE_ARRAY; duration → FIXED_LEN_BYTE_ARRAY(12) INTERVAL.</item>
/// </list>
/// Parquet-only annotations can be asked for with an Avro <c>logicalType</c> attribute Avro ignores: <c>json</c> on a
/// string (JSON), <c>int8</c>/<c>int16</c>/<c>uint8</c>/<c>uint16</c>/<c>uint32</c> on an int and <c>uint64</c> on a long (INTEGER).
/// Reading a file written elsewhere maps back: unsigned 32-bit and INT64 integers → long, INT96 → long
/// timestamp-nanos, ENUM/JSON/BSON-less strings → string, FLOAT16 → float, TIME(NANOS)/unsigned 64-bit → long,
/// legacy two-level lists and bare repeated fields → arrays.
/// </summary>
public static class ParquetSchemaConverter
{
    /// <summary>The field names of the members of a union group.</summary>
    public static string UnionMemberName(int index) => $"member{index}";

    /// <summary>Converts a record schema to the flattened Parquet schema elements (root first).</summary>
    /// <exception cref="SchemaException">The schema has a shape Parquet cannot hold (a recursive record, a null field).</exception>
    public static IReadOnlyList<SchemaElement> ToParquet(RecordSchema schema, ParquetSchemaOptions? options = null)
    {
        options ??= ParquetSchemaOptions.Default;
        var elements = new List<SchemaElement>
        {
            new() { Name = schema.FullName, NumChildren = schema.Fields.Count },
        };
        var visiting = new HashSet<RecordSchema> { schema };
        foreach (var field in schema.Fields)
        {
            AddField(elements, field.Name, field.Schema, $"{schema.FullName}.{field.Name}", options, visiting);
        }

        return elements;
    }

    private static void AddField(List<SchemaElement> elements, string name, Model.Schema schema, string path,
        ParquetSchemaOptions options, HashSet<RecordSchema> visiting)
    {
        var repetition = FieldRepetitionType.Required;
        if (schema is UnionSchema union)
        {
            var nonNull = union.Branches.Where(b => !b.IsNull).ToList();
            if (nonNull.Count == 0)
            {
                throw new SchemaException($"Field '{path}' is always null, which Parquet cannot store.", path);
            }

            if (nonNull.Count < union.Branches.Count)
            {
                repetition = FieldRepetitionType.Optional;
            }

            if (nonNull.Count > 1)
            {
                elements.Add(new SchemaElement { Name = name, RepetitionType = repetition, NumChildren = nonNull.Count });
                for (var i = 0; i < nonNull.Count; i++)
                {
                    AddField(elements, UnionMemberName(i), UnionSchema.Nullable(nonNull[i]), $"{path}.{UnionMemberName(i)}", options, visiting);
                }

                return;
            }

            schema = nonNull[0];
        }

        AddNode(elements, name, schema, repetition, path, options, visiting);
    }

    private static void AddNode(List<SchemaElement> elements, string name, Model.Schema schema, FieldRepetitionType repetition,
        string path, ParquetSchemaOptions options, HashSet<RecordSchema> visiting)
    {
        switch (schema)
        {
            case RecordSchema record:
                if (!visiting.Add(record))
                {
                    throw new SchemaException($"Record {record.FullName} at '{path}' is recursive, which Parquet cannot store.", path);
                }

                elements.Add(new SchemaElement { Name = name, RepetitionType = repetition, NumChildren = record.Fields.Count });
                foreach (var field in record.Fields)
                {
                    AddField(elements, field.Name, field.Schema, $"{path}.{field.Name}", options, visiting);
                }

                visiting.Remove(record);
                return;
            case ArraySchema array:
                elements.Add(new SchemaElement
                {
                    Name = name, RepetitionType = repetition, NumChildren = 1,
                    ConvertedType = ConvertedType.List, LogicalType = LogicalTypeAnnotation.List,
                });
                elements.Add(new SchemaElement { Name = "list", RepetitionType = FieldRepetitionType.Repeated, NumChildren = 1 });
                AddField(elements, "element", array.Items, $"{path}[]", options, visiting);
                return;
            case MapSchema map:
                elements.Add(new SchemaElement
                {
                    Name = name, RepetitionType = repetition, NumChildren = 1,
                    ConvertedType = ConvertedType.Map, LogicalType = LogicalTypeAnnotation.Map,
                });
                elements.Add(new SchemaElement { Name = "key_value", RepetitionType = FieldRepetitionType.Repeated, NumChildren = 2 });
                elements.Add(new SchemaElement
                {
                    Name = "key", RepetitionType = FieldRepetitionType.Required, Type = PhysicalType.ByteArray,
                    ConvertedType = ConvertedType.Utf8, LogicalType = LogicalTypeAnnotation.String,
                });
                AddField(elements, "value", map.Values, $"{path}{{}}", options, visiting);
                return;
            default:
                elements.Add(Leaf(name, schema, repetition, path, options));
                return;
        }
    }

    private static SchemaElement Leaf(string name, Model.Schema schema, FieldRepetitionType repetition, string path,
        ParquetSchemaOptions options)
    {
        var e = new SchemaElement { Name = name, RepetitionType = repetition };
        var logical = schema.LogicalType;
        if (logical?.Name == ModelLogicalType.DecimalName)
        {
            e = e with
            {
                ConvertedType = ConvertedType.Decimal, Scale = logical.Scale, Precision = logical.Precision,
                LogicalType = LogicalTypeAnnotation.Decimal(logical.Precision, logical.Scale),
            };
            if (options.DecimalAsInteger && logical.Precision <= 18)
            {
                return e with { Type = logical.Precision <= 9 ? PhysicalType.Int32 : PhysicalType.Int64 };
            }

            return schema is FixedSchema decimalFixed
                ? e with { Type = PhysicalType.FixedLenByteArray, TypeLength = decimalFixed.Size }
                : e with { Type = PhysicalType.ByteArray };
        }

        if (logical?.Name == ModelLogicalType.UuidName)
        {
            return e with { Type = PhysicalType.FixedLenByteArray, TypeLength = 16, LogicalType = LogicalTypeAnnotation.Uuid };
        }

        if (logical is null && ParquetOnlyAnnotation(schema) is { } annotated)
        {
            return annotated(e);
        }

        return schema.Type switch
        {
            SchemaType.Boolean => e with { Type = PhysicalType.Boolean },
            SchemaType.Int => logical?.Name switch
            {
                ModelLogicalType.DateName => e with { Type = PhysicalType.Int32, ConvertedType = ConvertedType.Date, LogicalType = LogicalTypeAnnotation.Date },
                ModelLogicalType.TimeMillisName => e with
                {
                    Type = PhysicalType.Int32, ConvertedType = ConvertedType.TimeMillis,
                    LogicalType = LogicalTypeAnnotation.Time(TimeUnit.Millis, isAdjustedToUtc: false),
                },
                _ => e with { Type = PhysicalType.Int32 },
            },
            SchemaType.Long => logical?.Name switch
            {
                ModelLogicalType.TimeMicrosName => e with
                {
                    Type = PhysicalType.Int64, ConvertedType = ConvertedType.TimeMicros,
                    LogicalType = LogicalTypeAnnotation.Time(TimeUnit.Micros, isAdjustedToUtc: false),
                },
                ModelLogicalType.TimestampMillisName => Timestamp(e, TimeUnit.Millis, true, ConvertedType.TimestampMillis),
                ModelLogicalType.TimestampMicrosName => Timestamp(e, TimeUnit.Micros, true, ConvertedType.TimestampMicros),
                ModelLogicalType.TimestampNanosName => Timestamp(e, TimeUnit.Nanos, true, null),
                ModelLogicalType.LocalTimestampMillisName => Timestamp(e, TimeUnit.Millis, false, null),
                ModelLogicalType.LocalTimestampMicrosName => Timestamp(e, TimeUnit.Micros, false, null),
                ModelLogicalType.LocalTimestampNanosName => Timestamp(e, TimeUnit.Nanos, false, null),
                _ => e with { Type = PhysicalType.Int64 },
            },
            SchemaType.Float => e with { Type = PhysicalType.Float },
            SchemaType.Double => e with { Type = PhysicalType.Double },
            SchemaType.Bytes => e with { Type = PhysicalType.ByteArray },
            SchemaType.String => e with { Type = PhysicalType.ByteArray, ConvertedType = ConvertedType.Utf8, LogicalType = LogicalTypeAnnotation.String },
            SchemaType.Enum => e with { Type = PhysicalType.ByteArray, ConvertedType = ConvertedType.Enum, LogicalType = LogicalTypeAnnotation.Enum },
            SchemaType.Fixed when logical?.Name == ModelLogicalType.DurationName =>
                e with { Type = PhysicalType.FixedLenByteArray, TypeLength = 12, ConvertedType = ConvertedType.Interval },
            SchemaType.Fixed => e with { Type = PhysicalType.FixedLenByteArray, TypeLength = ((FixedSchema)schema).Size },
            _ => throw new SchemaException($"Field '{path}' of type {schema.DisplayName} cannot be stored in Parquet.", path),
        };
    }

    /// <summary>
    /// Parquet annotations Avro has no logical type for, requested with a <c>logicalType</c> attribute Avro
    /// itself ignores: <c>json</c> on string → JSON; <c>int8</c>, <c>int16</c>, <c>uint8</c>, <c>uint16</c>,
    /// <c>uint32</c> on int and <c>uint64</c> on long → INTEGER of that width and signedness (values keep their
    /// Avro type; unsigned ones are stored as the same bits).
    /// </summary>
    private static Func<SchemaElement, SchemaElement>? ParquetOnlyAnnotation(Model.Schema schema)
    {
        if (!schema.Properties.TryGetValue("logicalType", out var node) || node is null
            || node.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            return null;
        }

        static Func<SchemaElement, SchemaElement> Integer(PhysicalType type, int width, bool signed, ConvertedType converted) =>
            e => e with { Type = type, LogicalType = LogicalTypeAnnotation.Integer(width, signed), ConvertedType = converted };

        return (schema.Type, node.GetValue<string>()) switch
        {
            (SchemaType.String, "json") => e => e with { Type = PhysicalType.ByteArray, LogicalType = LogicalTypeAnnotation.Json, ConvertedType = ConvertedType.Json },
            (SchemaType.Int, "int8") => Integer(PhysicalType.Int32, 8, true, ConvertedType.Int8),
            (SchemaType.Int, "int16") => Integer(PhysicalType.Int32, 16, true, ConvertedType.Int16),
            (SchemaType.Int, "uint8") => Integer(PhysicalType.Int32, 8, false, ConvertedType.Uint8),
            (SchemaType.Int, "uint16") => Integer(PhysicalType.Int32, 16, false, ConvertedType.Uint16),
            (SchemaType.Int, "uint32") => Integer(PhysicalType.Int32, 32, false, ConvertedType.Uint32),
            (SchemaType.Long, "uint64") => Integer(PhysicalType.Int64, 64, false, ConvertedType.Uint64),
            _ => null,
        };
    }

    private static SchemaElement Timestamp(SchemaElement e, TimeUnit unit, bool utc, ConvertedType? converted) =>
        e with { Type = PhysicalType.Int64, ConvertedType = converted, LogicalType = LogicalTypeAnnotation.Timestamp(unit, utc) };

    /// <summary>Derives the record schema of a Parquet file (see the type mapping on this class).</summary>
    public static RecordSchema ToModel(ParquetSchema schema)
    {
        var root = schema.Root;
        var name = SchemaName.Parse(string.IsNullOrEmpty(root.Name) ? "schema" : root.Name, null);
        return new RecordSchema(name, root.Children.Select(c => new Field(c.Name, InferField(c, name.FullName))));
    }

    private static Model.Schema InferField(ParquetSchemaNode node, string ns) => node.Repetition switch
    {
        FieldRepetitionType.Optional => UnionSchema.Nullable(InferInner(node, ns)),
        FieldRepetitionType.Repeated => new ArraySchema(InferInner(node, ns)),
        _ => InferInner(node, ns),
    };

    private static Model.Schema InferInner(ParquetSchemaNode node, string ns)
    {
        if (node.IsLeaf)
        {
            return InferLeaf(node);
        }

        var e = node.Element;
        if (ListShape.TryGet(node, out var list))
        {
            return new ArraySchema(list.ElementIsRepeatedNode
                ? InferInner(list.Element, ns)
                : InferField(list.Element, ns));
        }

        if (MapShape.TryGet(node, out var map))
        {
            return new MapSchema(InferField(map.Value, ns));
        }

        if (IsUnionGroup(node))
        {
            return new UnionSchema(node.Children.Select(c => InferInner(c, ns)).ToList());
        }

        var childNs = $"{ns}.{e.Name}";
        return new RecordSchema(new SchemaName(e.Name, ns), node.Children.Select(c => new Field(c.Name, InferField(c, childNs))));
    }

    internal static bool IsUnionGroup(ParquetSchemaNode node) =>
        node.Children.Count >= 2
        && node.Children.Select((c, i) => c.Repetition == FieldRepetitionType.Optional && c.Name == UnionMemberName(i)).All(x => x);

    private static Model.Schema InferLeaf(ParquetSchemaNode node)
    {
        var e = node.Element;
        var lt = e.LogicalType;
        var ct = e.ConvertedType;
        if (lt?.Kind == LogicalTypeKind.Decimal || ct == ConvertedType.Decimal)
        {
            var precision = lt?.Kind == LogicalTypeKind.Decimal ? lt.Precision : e.Precision ?? 0;
            var scale = lt?.Kind == LogicalTypeKind.Decimal ? lt.Scale : e.Scale ?? 0;
            var decimalType = ModelLogicalType.Decimal(precision, scale);
            return node.PhysicalType == PhysicalType.FixedLenByteArray
                ? new FixedSchema(new SchemaName(e.Name, null), e.TypeLength ?? 0, decimalType)
                : new PrimitiveSchema(SchemaType.Bytes, decimalType);
        }

        switch (node.PhysicalType)
        {
            case PhysicalType.Boolean:
                return PrimitiveSchema.Boolean;
            case PhysicalType.Int32:
                if (lt?.Kind == LogicalTypeKind.Date || ct == ConvertedType.Date)
                    return new PrimitiveSchema(SchemaType.Int, ModelLogicalType.Date);
                if (lt?.Kind == LogicalTypeKind.Time || ct == ConvertedType.TimeMillis)
                    return new PrimitiveSchema(SchemaType.Int, ModelLogicalType.TimeMillis);
                if ((lt?.Kind == LogicalTypeKind.Integer && !lt.IsSigned && lt.BitWidth == 32) || ct == ConvertedType.Uint32)
                    return PrimitiveSchema.Long;
                return PrimitiveSchema.Int;
            case PhysicalType.Int64:
                if (lt?.Kind == LogicalTypeKind.Timestamp)
                    return new PrimitiveSchema(SchemaType.Long, (lt.Unit, lt.IsAdjustedToUtc) switch
                    {
                        (TimeUnit.Millis, true) => ModelLogicalType.TimestampMillis,
                        (TimeUnit.Micros, true) => ModelLogicalType.TimestampMicros,
                        (TimeUnit.Nanos, true) => ModelLogicalType.TimestampNanos,
                        (TimeUnit.Millis, false) => ModelLogicalType.LocalTimestampMillis,
                        (TimeUnit.Micros, false) => ModelLogicalType.LocalTimestampMicros,
                        _ => ModelLogicalType.LocalTimestampNanos,
                    });
                if (ct == ConvertedType.TimestampMillis) return new PrimitiveSchema(SchemaType.Long, ModelLogicalType.TimestampMillis);
                if (ct == ConvertedType.TimestampMicros) return new PrimitiveSchema(SchemaType.Long, ModelLogicalType.TimestampMicros);
                if ((lt?.Kind == LogicalTypeKind.Time && lt.Unit == TimeUnit.Micros) || ct == ConvertedType.TimeMicros)
                    return new PrimitiveSchema(SchemaType.Long, ModelLogicalType.TimeMicros);
                return PrimitiveSchema.Long;
            case PhysicalType.Int96:
                return new PrimitiveSchema(SchemaType.Long, ModelLogicalType.TimestampNanos);
            case PhysicalType.Float:
                return PrimitiveSchema.Float;
            case PhysicalType.Double:
                return PrimitiveSchema.Double;
            case PhysicalType.ByteArray:
                return lt?.Kind is LogicalTypeKind.String or LogicalTypeKind.Enum or LogicalTypeKind.Json
                       || ct is ConvertedType.Utf8 or ConvertedType.Enum or ConvertedType.Json
                    ? PrimitiveSchema.String
                    : PrimitiveSchema.Bytes;
            case PhysicalType.FixedLenByteArray:
                if (lt?.Kind == LogicalTypeKind.Uuid)
                    return new PrimitiveSchema(SchemaType.String, ModelLogicalType.Uuid);
                if (lt?.Kind == LogicalTypeKind.Float16)
                    return PrimitiveSchema.Float;
                if (ct == ConvertedType.Interval && e.TypeLength == 12)
                    return new FixedSchema(new SchemaName(e.Name, null), 12, ModelLogicalType.Duration);
                return new FixedSchema(new SchemaName(e.Name, null), e.TypeLength ?? 0);
            default:
                throw new FormatException($"Column '{node.DottedPath}' has unknown physical type {(int)node.PhysicalType}.");
        }
    }
}
