using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using static Streams.Formats.Avro.Binary.AvroDatumWriter;
using static Streams.Formats.Avro.Binary.AvroWriteErrors;

namespace Streams.Formats.Avro.Binary;

/// <summary>The writer of one record schema; a class so recursive references can point at it before it is complete.</summary>
internal sealed class RecordWritePlan(RecordSchema schema, string path)
{
    private FieldMap? _lastMap;

    public ValueWriter[] Fields { get; set; } = [];

    public void Write(ref AvroWriter w, object? v)
    {
        if (v is not GenericRecord record)
        {
            throw Mismatch(path, schema, v);
        }

        var fields = Fields;
        if (ReferenceEquals(record.Schema, schema))
        {
            var values = record.Values;
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i](ref w, values[i]);
            }

            return;
        }

        WriteByName(ref w, record, fields);
    }

    // A record built with another instance of the schema (say parsed twice): map fields by name once per
    // distinct schema instance and keep the last map, since a stream of records shares one instance.
    private void WriteByName(ref AvroWriter w, GenericRecord record, ValueWriter[] fields)
    {
        var map = _lastMap;
        if (map is null || !ReferenceEquals(map.Source, record.Schema))
        {
            map = new FieldMap(record.Schema, schema, path);
            _lastMap = map;
        }

        var values = record.Values;
        for (var i = 0; i < fields.Length; i++)
        {
            var position = map.Positions[i];
            if (position < 0)
            {
                throw new AvroValueException(
                    $"The record of type {record.Schema.FullName} has no field '{schema.Fields[i].Name}'.",
                    SchemaPath.Field(path, schema.Fields[i].Name));
            }

            fields[i](ref w, values[position]);
        }
    }

    private sealed class FieldMap
    {
        public FieldMap(RecordSchema source, RecordSchema target, string path)
        {
            if (source.FullName != target.FullName)
            {
                throw new AvroValueException($"A record of type {source.FullName} is not a {target.FullName}.", path);
            }

            Source = source;
            Positions = target.Fields.Select(f => source.GetField(f.Name)?.Position ?? -1).ToArray();
        }

        public RecordSchema Source { get; }

        public int[] Positions { get; }
    }
}
