using System.Diagnostics;
using Avro.File;
using Avro.Generic;
using Avro.IO;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Schemas;
using ApacheRecord = Avro.Generic.GenericRecord;
using ApacheSchema = Avro.Schema;
using GenericRecord = Streams.Formats.Model.GenericRecord;
using RecordSchema = Streams.Formats.Model.RecordSchema;

namespace Streams.Benchmarks;

/// <summary>
/// The avro benchmark's phases done by Apache.Avro 1.12.2 (the C# library C# users run), on the same records
/// (decoded by Apache.Avro from Streams' encoding, outside the timers): GenericDatumWriter/Reader and
/// DataFileWriter/Reader, best of the same number of runs.
/// </summary>
internal static class ApacheAvroPhases
{
    public static Dictionary<string, (TimeSpan Time, long Bytes)> Measure(RecordSchema schema, GenericRecord[] events, long records, int runs,
        string dir, int blockSize)
    {
        var apacheSchema = ApacheSchema.Parse(AvroSchemaWriter.ToJson(schema));
        var ours = AvroDatumWriter.For(schema);
        var datumReader = new GenericDatumReader<ApacheRecord>(apacheSchema, apacheSchema);
        var apacheEvents = events.Select(e => datumReader.Read(null!, new BinaryDecoder(new MemoryStream(ours.ToArray(e))))).ToArray();
        var datumWriter = new GenericDatumWriter<ApacheRecord>(apacheSchema);
        var results = new Dictionary<string, (TimeSpan, long)>();

        results["encode"] = Best(runs, () =>
        {
            var stream = new MemoryStream(1 << 20);
            var encoder = new BinaryEncoder(stream);
            long bytes = 0;
            for (var i = 0L; i < records; i++)
            {
                if (stream.Length > (1 << 20) - 4096)
                {
                    bytes += stream.Length;
                    stream.SetLength(0);
                }

                datumWriter.Write(apacheEvents[i % apacheEvents.Length], encoder);
            }

            return bytes + stream.Length;
        });

        var encoded = events.SelectMany(ours.ToArray).ToArray();
        results["decode"] = Best(runs, () =>
        {
            var done = 0L;
            ApacheRecord? reuse = null;
            while (done < records)
            {
                var decoder = new BinaryDecoder(new MemoryStream(encoded, writable: false));
                for (var k = 0; k < apacheEvents.Length && done < records; k++, done++)
                {
                    reuse = datumReader.Read(reuse!, decoder);
                }
            }

            return encoded.LongLength * records / events.Length;
        });

        foreach (var codec in new[] { "null", "deflate" })
        {
            var path = Path.Combine(dir, $"apache-{codec}.avro");
            results[$"file_write_{codec}"] = Best(runs, () =>
            {
                using (var writer = DataFileWriter<ApacheRecord>.OpenWriter(datumWriter, path,
                           Codec.CreateCodec(codec == "null" ? Codec.Type.Null : Codec.Type.Deflate)))
                {
                    writer.SetSyncInterval(blockSize);
                    for (var i = 0L; i < records; i++)
                    {
                        writer.Append(apacheEvents[i % apacheEvents.Length]);
                    }
                }

                return new FileInfo(path).Length;
            });
            results[$"file_read_{codec}"] = Best(runs, () =>
            {
                using var reader = DataFileReader<ApacheRecord>.OpenReader(path);
                var n = 0L;
                while (reader.HasNext())
                {
                    reader.Next();
                    n++;
                }

                return n == records ? new FileInfo(path).Length : throw new InvalidOperationException($"Apache.Avro read {n} records, expected {records}.");
            });
        }

        return results;
    }

    private static (TimeSpan, long) Best(int runs, Func<long> phase)
    {
        var bytes = phase();
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            bytes = phase();
            best = stopwatch.Elapsed < best ? stopwatch.Elapsed : best;
        }

        return (best, bytes);
    }
}
