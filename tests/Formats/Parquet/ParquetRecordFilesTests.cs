using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Formats.Parquet;

namespace Streams.Formats.Tests.Parquet;

/// <summary>Parquet through the extension-based <see cref="RecordFiles"/> registry, and Avro ⇄ Parquet losslessly.</summary>
public sealed class ParquetRecordFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("streams-parquet-files-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task CopyAsync(string from, string to)
    {
        await using var reader = await RecordFiles.OpenReaderAsync(from);
        await using var writer = await RecordFiles.OpenWriterAsync(to, reader.Schema);
        while (await reader.ReadBatchAsync() is { } batch)
        {
            foreach (var record in batch)
            {
                await writer.WriteAsync(record);
            }
        }
    }

    private static async Task<(Schema Schema, List<GenericRecord> Records)> ReadAllAsync(string path)
    {
        await using var reader = await RecordFiles.OpenReaderAsync(path);
        var records = new List<GenericRecord>();
        while (await reader.ReadBatchAsync() is { } batch)
        {
            records.AddRange(batch.Cast<GenericRecord>());
        }

        return (reader.Schema, records);
    }

    [Fact]
    public async Task Avro_to_Parquet_to_Avro_is_lossless()
    {
        var records = ParquetTestData.Full(1500, seed: 7);
        var original = Path.Combine(_directory, "in.avro");
        await using (var writer = await RecordFiles.OpenWriterAsync(original, ParquetTestData.FullSchema))
        {
            foreach (var record in records)
            {
                await writer.WriteAsync(record);
            }
        }

        RecordFiles.GetFormat("x.parquet").Should().BeSameAs(ParquetRecordFileFormat.Instance);
        var parquet = Path.Combine(_directory, "mid.parquet");
        var back = Path.Combine(_directory, "back.avro");
        await CopyAsync(original, parquet);
        await CopyAsync(parquet, back);

        var (parquetSchema, fromParquet) = await ReadAllAsync(parquet);
        AvroSchemaWriter.ToJson(parquetSchema).Should().Be(AvroSchemaWriter.ToJson(ParquetTestData.FullSchema));
        RecordAssert.Equal(records, fromParquet);

        var (schema, roundTripped) = await ReadAllAsync(back);
        AvroSchemaWriter.ToJson(schema).Should().Be(AvroSchemaWriter.ToJson(ParquetTestData.FullSchema));
        for (var i = 0; i < records.Count; i++)
        {
            roundTripped[i].Should().Match<GenericRecord>(r => r.Equals(records[i]), $"row {i} should survive Avro -> Parquet -> Avro");
        }
    }

    [Fact]
    public async Task Files_without_a_stored_schema_get_one_derived_from_Parquet_types()
    {
        var path = Path.Combine(_directory, "plain.parquet");
        await using (var writer = new ParquetWriter(File.Create(path), ParquetTestData.FullSchema, new ParquetWriterOptions { StoreAvroSchema = false }))
        {
            await writer.WriteAsync(ParquetTestData.Full(20));
        }

        var (schema, records) = await ReadAllAsync(path);
        var record = (RecordSchema)schema;
        record.GetField("color")!.Schema.Type.Should().Be(SchemaType.String, "enum symbols are not in the Parquet schema");
        RecordAssert.Equal(ParquetTestData.Full(20), records, compareNames: false);
    }
}
