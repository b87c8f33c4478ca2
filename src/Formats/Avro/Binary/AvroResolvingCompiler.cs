using Streams.Formats.Avro.Logical;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using static Streams.Formats.Avro.Binary.AvroDatumReader;
using static Streams.Formats.Avro.Binary.AvroValueReaders;

namespace Streams.Formats.Avro.Binary;

/// <summary>
/// Compiles a schema resolution tree (<see cref="SchemaResolver"/>) into a decoding plan that reads data written
/// with the writer's schema as values of the reader's: promotions, enum symbol mapping, union branch mapping,
/// writer-only fields skipped without materialising them, reader-only fields filled with their defaults.
/// Nodes the tree marks as failed compile to readers that raise an <see cref="AvroDataException"/> when (and
/// only when) data reaches them, as the specification requires.
/// </summary>
internal sealed class AvroResolvingCompiler
{
    private readonly Dictionary<RecordResolution, RecordRead> _records = new(ReferenceEqualityComparer.Instance);

    public ValueReader Compile(ResolutionNode resolution, string path)
    {
        switch (resolution)
        {
            case DirectResolution direct:
                return Direct(direct, path);
            case EnumResolution enumResolution:
                return (ref AvroReader r) =>
                {
                    var start = r.Position;
                    var index = r.ReadInt();
                    try
                    {
                        return enumResolution.MapSymbol(index, path);
                    }
                    catch (AvroValueException e)
                    {
                        throw r.Malformed(e.Message, start);
                    }
                };
            case FailedResolution failed:
                return (ref AvroReader r) => throw r.Malformed(failed.CreateException(path).Message, r.Position);
            case ArrayResolution array:
                return AvroDatumReader.Array(Compile(array.Items, SchemaPath.Items(path)),
                    MinimumSize(((ArraySchema)array.Writer).Items));
            case MapResolution map:
                return Map(Compile(map.Values, SchemaPath.Values(path)));
            case ReaderUnionResolution readerUnion:
                // Union values are carried unwrapped: reading into a reader branch is reading that branch.
                return Compile(readerUnion.Branch, path);
            case WriterUnionResolution writerUnion:
                return Union(writerUnion.Writer, writerUnion.Branches.Select((b, i) => Compile(b, path)).ToArray());
            case RecordResolution record:
                return Record(record, path);
            default:
                throw new ArgumentOutOfRangeException(nameof(resolution), resolution.GetType().Name, "Unknown resolution node.");
        }
    }

    private static ValueReader Direct(DirectResolution direct, string path)
    {
        var writer = direct.Writer;
        var reader = direct.Reader;
        if (direct.Promotion == Promotion.None && SameRepresentation(writer, reader))
        {
            return Leaf(reader)!;
        }

        // Read the writer's underlying value, promote it, then apply the reader's logical type (if any).
        var underlying = Leaf(Underlying(writer))!;
        var hasLogical = AvroLogical.EffectiveLogicalName(reader) is not null;
        return (ref AvroReader r) =>
        {
            var start = r.Position;
            var value = direct.Promote(underlying(ref r), path);
            if (!hasLogical || value is null)
            {
                return value;
            }

            try
            {
                return AvroLogicalValues.ToLogical(reader, value, path);
            }
            catch (AvroValueException e)
            {
                throw r.Malformed(e.Message, start);
            }
        };
    }

    /// <summary>True when the reader's plain leaf reader returns exactly what reading the writer's value means.</summary>
    private static bool SameRepresentation(Schema writer, Schema reader)
    {
        var writerLogical = AvroLogical.EffectiveLogicalName(writer);
        var readerLogical = AvroLogical.EffectiveLogicalName(reader);
        return writer.Type == reader.Type && writerLogical == readerLogical
            && (writer is not FixedSchema wf || reader is FixedSchema rf && wf.Size == rf.Size);
    }

    private static Schema Underlying(Schema schema) => schema switch
    {
        FixedSchema f when f.LogicalType is not null => new FixedSchema(f.Name, f.Size),
        PrimitiveSchema p => PrimitiveSchema.Of(p.Type),
        _ => schema,
    };

    private ValueReader Record(RecordResolution resolution, string path)
    {
        if (_records.TryGetValue(resolution, out var pending))
        {
            return pending.Read;
        }

        var reader = resolution.Reader;
        var plan = new RecordRead(reader, reader.Fields.Count);
        _records.Add(resolution, plan);
        var steps = resolution.WriterFields.Select(f => f.ReaderField is { } target
                ? RecordStep.Into(target.Position, Compile(f.Resolution!, SchemaPath.Field(path, target.Name)))
                : RecordStep.Skipping(AvroSkipper.For(f.WriterField.Schema)))
            .ToArray();
        var defaults = resolution.Defaults.Select(d =>
        {
            var shared = d.Value;
            return new DefaultStep(d.ReaderField.Position, d.IsShareable ? () => shared : d.CreateValue);
        }).ToArray();
        plan.Complete(steps, defaults);
        _records.Remove(resolution);
        return plan.Read;
    }
}
