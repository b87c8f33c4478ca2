using Streams.Formats.Model;
using Streams.Formats.Parquet.Metadata;
using Streams.Formats.Parquet.Schema;
using ModelLogicalType = Streams.Formats.Model.LogicalType;
using ModelSchema = Streams.Formats.Model.Schema;

namespace Streams.Formats.Parquet.Columns;

/// <summary>Binds a record schema to a Parquet schema (the model may select a subset of the fields: a projection).</summary>
internal static class FieldBinder
{
    public static FieldBinding Bind(RecordSchema schema, ParquetSchema parquet) =>
        BindRecord(schema, parquet.Root, schema.FullName);

    private static FieldBinding BindRecord(RecordSchema schema, ParquetSchemaNode group, string path)
    {
        if (group.IsLeaf)
        {
            throw Mismatch(path, group, schema);
        }

        var children = new List<FieldBinding>(schema.Fields.Count);
        foreach (var field in schema.Fields)
        {
            var node = group.Children.FirstOrDefault(c => c.Name == field.Name)
                       ?? throw new SchemaException($"Field '{path}.{field.Name}' is not in the Parquet schema.", $"{path}.{field.Name}");
            children.Add(BindField(field.Schema, node, $"{path}.{field.Name}"));
        }

        return new FieldBinding
        {
            Kind = BindingKind.Record, Path = path, Schema = schema, Children = children,
            Columns = children.SelectMany(c => c.Columns).ToArray(),
        };
    }

    private static FieldBinding BindField(ModelSchema schema, ParquetSchemaNode node, string path)
    {
        switch (node.Repetition)
        {
            case FieldRepetitionType.Optional:
            {
                var inner = WithoutNull(schema)
                            ?? throw new SchemaException($"Field '{path}' is optional in Parquet but {schema.DisplayName} does not admit null.", path);
                var child = BindInner(inner, node, path);
                return new FieldBinding
                {
                    Kind = BindingKind.Optional, Path = path, Schema = schema, Child = child,
                    DefinitionLevel = node.MaxDefinitionLevel, Columns = child.Columns,
                };
            }
            case FieldRepetitionType.Repeated:
            {
                // A bare repeated field (no LIST annotation): a list of required elements.
                if (schema is not ArraySchema array)
                {
                    throw Mismatch(path, node, schema);
                }

                var element = BindInner(array.Items, node, $"{path}[]");
                return new FieldBinding
                {
                    Kind = BindingKind.List, Path = path, Schema = schema, Child = element,
                    DefinitionLevel = node.MaxDefinitionLevel, RepetitionLevel = node.MaxRepetitionLevel,
                    Columns = element.Columns,
                };
            }
            default:
                return BindInner(schema, node, path);
        }
    }

    private static ModelSchema? WithoutNull(ModelSchema schema)
    {
        if (schema is not UnionSchema union)
        {
            return null;
        }

        var nonNull = union.Branches.Where(b => !b.IsNull).ToList();
        return nonNull.Count == union.Branches.Count || nonNull.Count == 0 ? null
            : nonNull.Count == 1 ? nonNull[0]
            : new UnionSchema(nonNull);
    }

    private static FieldBinding BindInner(ModelSchema schema, ParquetSchemaNode node, string path)
    {
        switch (schema)
        {
            case RecordSchema record:
                return BindRecord(record, node, path);
            case ArraySchema array:
            {
                if (!ListShape.TryGet(node, out var list))
                {
                    throw Mismatch(path, node, schema);
                }

                var element = list.ElementIsRepeatedNode
                    ? BindInner(array.Items, list.Element, $"{path}[]")
                    : BindField(array.Items, list.Element, $"{path}[]");
                return new FieldBinding
                {
                    Kind = BindingKind.List, Path = path, Schema = schema, Child = element,
                    DefinitionLevel = list.Repeated.MaxDefinitionLevel, RepetitionLevel = list.Repeated.MaxRepetitionLevel,
                    Columns = element.Columns,
                };
            }
            case MapSchema map:
            {
                if (!MapShape.TryGet(node, out var shape))
                {
                    throw Mismatch(path, node, schema);
                }

                var key = BindLeaf(PrimitiveSchema.String, shape.Key, $"{path}{{key}}");
                var value = BindField(map.Values, shape.Value, $"{path}{{}}");
                return new FieldBinding
                {
                    Kind = BindingKind.Map, Path = path, Schema = schema, Key = key, Child = value,
                    DefinitionLevel = shape.Repeated.MaxDefinitionLevel, RepetitionLevel = shape.Repeated.MaxRepetitionLevel,
                    Columns = [.. key.Columns, .. value.Columns],
                };
            }
            case UnionSchema union:
            {
                if (node.IsLeaf || node.Children.Count != union.Branches.Count || !ParquetSchemaConverter.IsUnionGroup(node))
                {
                    throw Mismatch(path, node, schema);
                }

                var members = union.Branches
                    .Select((b, i) => BindField(UnionSchema.Nullable(b), node.Children[i], $"{path}.{ParquetSchemaConverter.UnionMemberName(i)}"))
                    .ToList();
                return new FieldBinding
                {
                    Kind = BindingKind.Union, Path = path, Schema = schema, Children = members,
                    Columns = members.SelectMany(m => m.Columns).ToArray(),
                };
            }
            default:
                return BindLeaf(schema, node, path);
        }
    }

    private static FieldBinding BindLeaf(ModelSchema schema, ParquetSchemaNode node, string path)
    {
        if (!node.IsLeaf)
        {
            throw Mismatch(path, node, schema);
        }

        var kind = SelectKind(schema, node) ?? throw Mismatch(path, node, schema);
        return new FieldBinding
        {
            Kind = BindingKind.Leaf, Path = path, Schema = schema, Column = node, LeafKind = kind,
            Scale = schema.LogicalType?.Name == ModelLogicalType.DecimalName ? schema.LogicalType.Scale : 0,
            Columns = [node.ColumnIndex],
        };
    }

    private static LeafKind? SelectKind(ModelSchema schema, ParquetSchemaNode node)
    {
        var logical = schema.LogicalType?.Name;
        var parquetLogical = node.Element.LogicalType;
        var unsigned = parquetLogical is { Kind: LogicalTypeKind.Integer, IsSigned: false } || node.Element.ConvertedType is ConvertedType.Uint32;
        var nanos = parquetLogical is { Unit: TimeUnit.Nanos };
        return (node.PhysicalType, schema.Type) switch
        {
            (PhysicalType.Boolean, SchemaType.Boolean) => LeafKind.Boolean,
            (PhysicalType.Int32, _) when logical == ModelLogicalType.DecimalName => LeafKind.DecimalInt32,
            (PhysicalType.Int32, SchemaType.Int) => logical switch
            {
                ModelLogicalType.DateName => LeafKind.Date,
                ModelLogicalType.TimeMillisName => LeafKind.TimeMillis,
                _ => LeafKind.Int32,
            },
            (PhysicalType.Int32, SchemaType.Long) when unsigned => LeafKind.UInt32AsInt64,
            (PhysicalType.Int64, _) when logical == ModelLogicalType.DecimalName => LeafKind.DecimalInt64,
            (PhysicalType.Int64, SchemaType.Long) => logical switch
            {
                ModelLogicalType.TimeMicrosName when !nanos => LeafKind.TimeMicros,
                ModelLogicalType.TimestampMillisName => LeafKind.TimestampMillisUtc,
                ModelLogicalType.TimestampMicrosName => LeafKind.TimestampMicrosUtc,
                ModelLogicalType.LocalTimestampMillisName => LeafKind.TimestampMillisLocal,
                ModelLogicalType.LocalTimestampMicrosName => LeafKind.TimestampMicrosLocal,
                _ => LeafKind.Int64,
            },
            (PhysicalType.Int96, SchemaType.Long) => LeafKind.Int96Nanos,
            (PhysicalType.Float, SchemaType.Float) => LeafKind.Float,
            (PhysicalType.Double, SchemaType.Double) => LeafKind.Double,
            (PhysicalType.ByteArray, _) when logical == ModelLogicalType.DecimalName => LeafKind.DecimalBinary,
            (PhysicalType.ByteArray, SchemaType.String or SchemaType.Enum) => LeafKind.String,
            (PhysicalType.ByteArray, SchemaType.Bytes) => LeafKind.Bytes,
            (PhysicalType.FixedLenByteArray, _) when logical == ModelLogicalType.DecimalName => LeafKind.DecimalFixed,
            (PhysicalType.FixedLenByteArray, _) when logical == ModelLogicalType.UuidName && node.Element.TypeLength == 16 => LeafKind.Uuid,
            (PhysicalType.FixedLenByteArray, SchemaType.Fixed) when logical == ModelLogicalType.DurationName => LeafKind.Duration,
            (PhysicalType.FixedLenByteArray, SchemaType.Fixed) when ((FixedSchema)schema).Size == node.Element.TypeLength => LeafKind.Fixed,
            (PhysicalType.FixedLenByteArray, SchemaType.Float) when parquetLogical?.Kind == LogicalTypeKind.Float16 => LeafKind.Float16,
            _ => null,
        };
    }

    private static SchemaException Mismatch(string path, ParquetSchemaNode node, ModelSchema schema) =>
        new($"Field '{path}' is {Describe(node)} in Parquet, which cannot be read or written as {schema.DisplayName}.", path);

    private static string Describe(ParquetSchemaNode node) =>
        node.IsLeaf ? $"a {node.Repetition.ToString().ToLowerInvariant()} {node.PhysicalType} column" : $"a {node.Repetition.ToString().ToLowerInvariant()} group";
}
