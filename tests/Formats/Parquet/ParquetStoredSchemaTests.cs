using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Formats.Parquet;
using Streams.Formats.Parquet.Schema;

namespace Streams.Formats.Tests.Parquet;

/// <summary>
/// The Avro schema a Parquet footer stores: used when it fits, and when it is corrupt or does not fit, set aside
/// with a warning on the reader, since the derived schema loses the record names, enum symbols and docs.
/// </summary>
public sealed class ParquetStoredSchemaTests : IDisposable
{
    private static readonly RecordSchema Order = (RecordSchema)AvroSchemaParser.Parse("""
        {"type":"record","name":"Order","namespace":"shop","doc":"an order","fields":[
          {"name":"id","type":"long"},
          {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID"]}}]}
        """);

    private readonly string _directory = Directory.CreateTempSubdirectory("streams-parquet-stored-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Writes two orders; <paramref name="storedSchema"/> replaces the Avro schema the writer would store.</summary>
    private async Task<string> WriteAsync(string? storedSchema)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".parquet");
        var options = storedSchema is null
            ? ParquetWriterOptions.Default
            : new ParquetWriterOptions { StoreAvroSchema = false, Metadata = new Dictionary<string, string> { [ParquetReader.AvroSchemaKey] = storedSchema } };
        await using var writer = new ParquetWriter(File.Create(path), Order, options);
        await writer.WriteAsync(new GenericRecord(Order, [1L, "NEW"]));
        await writer.WriteAsync(new GenericRecord(Order, [2L, "PAID"]));
        return path;
    }

    [Fact]
    public async Task A_stored_schema_that_fits_is_used_without_warnings()
    {
        await using var reader = await ParquetReader.OpenAsync(await WriteAsync(null));

        reader.Warnings.Should().BeEmpty();
        AvroSchemaWriter.ToJson(reader.Schema).Should().Be(AvroSchemaWriter.ToJson(Order));
    }

    public static TheoryData<string, RecordFileWarningCode, string> SetAside() => new()
    {
        { """{"type":"record","name":"Order","fields":[""", RecordFileWarningCode.StoredSchemaUnreadable, "is not a valid Avro schema" },
        { """{"type":"recrd","name":"Order","fields":[]}""", RecordFileWarningCode.StoredSchemaUnreadable, "is not a valid Avro schema" },
        { "\"string\"", RecordFileWarningCode.StoredSchemaUnreadable, "not a record" },
        {
            """{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"total","type":"double"}]}""",
            RecordFileWarningCode.StoredSchemaMismatch, "'Order.total' is not in the Parquet schema"
        },
    };

    [Theory]
    [MemberData(nameof(SetAside))]
    public async Task A_stored_schema_that_is_corrupt_or_does_not_fit_is_set_aside_with_a_warning(
        string stored, RecordFileWarningCode code, string reason)
    {
        var path = await WriteAsync(stored);
        await using var reader = await ParquetReader.OpenAsync(path);

        var warning = reader.Warnings.Should().ContainSingle().Which;
        warning.Code.Should().Be(code);
        warning.Message.Should().Contain(path).And.Contain(ParquetReader.AvroSchemaKey).And.Contain(reason)
            .And.Contain("enum symbols");
        AvroSchemaWriter.ToJson(reader.Schema).Should().Be(AvroSchemaWriter.ToJson(ParquetSchemaConverter.ToModel(reader.ParquetSchema)));
        reader.Schema.GetField("status")!.Schema.Type.Should().Be(SchemaType.String, "the derived schema has no enum");
        (await reader.ReadAsync().ToListAsync()).Select(r => r["status"]).Should().Equal("NEW", "PAID");
    }

    [Fact]
    public async Task Record_files_pass_the_warning_on()
    {
        var path = await WriteAsync("{");
        await using var reader = await RecordFiles.OpenReaderAsync(path, new RecordFileOptions());

        reader.Warnings.Should().ContainSingle().Which.Code.Should().Be(RecordFileWarningCode.StoredSchemaUnreadable);
    }
}
