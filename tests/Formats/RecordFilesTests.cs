using Streams.Formats.Avro;
using Streams.Formats.Model;

namespace Streams.Formats.Tests;

public sealed class RecordFilesTests
{
    [Theory]
    [InlineData("a/b/events.avro", "avro")]
    [InlineData("EVENTS.AVRO", "avro")]
    [InlineData("x.jsonl", "jsonl")]
    [InlineData("x.ndjson", "jsonl")]
    public void Formats_are_found_by_extension(string path, string format) =>
        RecordFiles.GetFormat(path).Name.Should().Be(format);

    [Fact]
    public void An_unknown_extension_lists_the_supported_ones()
    {
        var act = () => RecordFiles.GetFormat("x.orc");
        act.Should().Throw<NotSupportedException>().WithMessage("*'.orc'*.avro*.jsonl*");
    }

    [Fact]
    public void A_taken_extension_cannot_be_registered_twice()
    {
        var act = () => RecordFiles.Register(AvroRecordFileFormat.Instance);
        act.Should().Throw<InvalidOperationException>().WithMessage("*.avro*");
    }

    [Fact]
    public async Task Files_convert_between_formats_through_the_common_interfaces()
    {
        var dir = Directory.CreateTempSubdirectory("record-files-").FullName;
        try
        {
            var schema = Avro.AvroTestData.AllTypes;
            var records = Enumerable.Range(0, 5).Select(Avro.AvroTestData.Sample).ToList();
            await using (var writer = await RecordFiles.OpenWriterAsync(Path.Combine(dir, "a.jsonl"), schema))
            {
                foreach (var record in records)
                {
                    await writer.WriteAsync(record);
                }
            }

            var missing = async () => await RecordFiles.OpenReaderAsync(Path.Combine(dir, "a.jsonl"));
            await missing.Should().ThrowAsync<ArgumentException>().WithMessage("*a.jsonl carries no schema*");

            await using (var reader = await RecordFiles.OpenReaderAsync(Path.Combine(dir, "a.jsonl"), new RecordFileOptions { Schema = schema }))
            await using (var writer = await RecordFiles.OpenWriterAsync(Path.Combine(dir, "b.avro"), reader.Schema, new RecordFileOptions { Codec = "deflate" }))
            {
                while (await reader.ReadBatchAsync() is { } batch)
                {
                    foreach (var record in batch)
                    {
                        await writer.WriteAsync(record);
                    }
                }
            }

            await using var avro = await RecordFiles.OpenReaderAsync(Path.Combine(dir, "b.avro"));
            var read = (await avro.ReadBatchAsync())!;
            read.Should().Equal(records.Cast<object?>(), (a, b) => ValueEquality.Instance.Equals(a, b));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
