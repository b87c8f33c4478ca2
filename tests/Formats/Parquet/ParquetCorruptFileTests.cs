using Streams.Formats.Parquet;
using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Tests.Parquet;

public sealed class ParquetCorruptFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("streams-parquet-corrupt-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(string Path, byte[] Bytes, ParquetReader Reader)> WriteAsync(CompressionCodec codec = CompressionCodec.Uncompressed)
    {
        var path = Path.Combine(_directory, "good.parquet");
        await using (var writer = new ParquetWriter(File.Create(path), ParquetTestData.FlatSchema,
                         new ParquetWriterOptions { Compression = codec, EnableDictionary = false }))
        {
            await writer.WriteAsync(ParquetTestData.Flat(2000));
        }

        return (path, await File.ReadAllBytesAsync(path), await ParquetReader.OpenAsync(path));
    }

    [Fact]
    public async Task Truncated_file_names_the_file_and_offset()
    {
        var (path, bytes, reader) = await WriteAsync();
        await reader.DisposeAsync();
        var truncated = Path.Combine(_directory, "truncated.parquet");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);

        var act = async () => await ParquetReader.OpenAsync(truncated);
        var error = (await act.Should().ThrowAsync<ParquetException>()).Which;
        error.FileName.Should().Be(truncated);
        error.Offset.Should().NotBeNull();
        error.Message.Should().Contain("truncated");
    }

    [Fact]
    public async Task Corrupt_page_names_the_file_column_and_page_offset()
    {
        var (path, bytes, reader) = await WriteAsync();
        var column = reader.Metadata.RowGroups[0].Columns[2].MetaData!; // "i"
        await reader.DisposeAsync();
        // Overwrite the page header of column "i" with garbage.
        var offset = (int)column.DataPageOffset;
        bytes.AsSpan(offset, 8).Fill(0xFF);
        var corrupt = Path.Combine(_directory, "corrupt.parquet");
        await File.WriteAllBytesAsync(corrupt, bytes);

        await using var damaged = await ParquetReader.OpenAsync(corrupt);
        var act = async () => await damaged.ReadAsync().ToListAsync();
        var error = (await act.Should().ThrowAsync<ParquetException>()).Which;
        error.FileName.Should().Be(corrupt);
        error.Column.Should().Be("i");
        error.Offset.Should().Be(offset);
        error.Message.Should().Contain("column 'i'").And.Contain($"byte offset {offset}");

        // Other columns are still readable through projection.
        var ids = await damaged.ReadAsync(new ParquetReadOptions { Columns = ["id"] }).CountAsync();
        ids.Should().Be(2000);
    }

    [Theory]
    [InlineData(CompressionCodec.Gzip)]
    [InlineData(CompressionCodec.Zstd)]
    [InlineData(CompressionCodec.Lz4Raw)]
    [InlineData(CompressionCodec.Lz4)]
    public async Task Corrupt_compressed_data_is_reported(CompressionCodec codec)
    {
        var (path, bytes, reader) = await WriteAsync(codec);
        var column = reader.Metadata.RowGroups[0].Columns[6].MetaData!; // "s"
        await reader.DisposeAsync();
        // Damage the start of the first page's compressed body (its frame header, framing or first token):
        // LZ4 carries no checksum, so damage further in could decode to wrong bytes of the right length.
        PageHeader.Read(bytes.AsSpan((int)column.DataPageOffset), out var headerLength);
        bytes.AsSpan((int)column.DataPageOffset + headerLength, 16).Fill(0xFF);
        var corrupt = Path.Combine(_directory, $"corrupt-{codec}.parquet");
        await File.WriteAllBytesAsync(corrupt, bytes);

        await using var damaged = await ParquetReader.OpenAsync(corrupt);
        var act = async () => await damaged.ReadAsync(new ParquetReadOptions { Columns = ["s"] }).ToListAsync();
        var error = (await act.Should().ThrowAsync<ParquetException>()).Which;
        error.Column.Should().Be("s");
        error.FileName.Should().Be(corrupt);
    }

    [Fact]
    public async Task Not_a_parquet_file_is_rejected()
    {
        var path = Path.Combine(_directory, "text.parquet");
        await File.WriteAllTextAsync(path, "id,name\n1,a\n2,b\n");
        var act = async () => await ParquetReader.OpenAsync(path);
        (await act.Should().ThrowAsync<ParquetException>()).Which.Message.Should().Contain("PAR1").And.Contain(path);
    }

    [Fact]
    public async Task Corrupt_footer_is_reported_with_its_offset()
    {
        var (path, bytes, reader) = await WriteAsync();
        await reader.DisposeAsync();
        var footerLength = BitConverter.ToInt32(bytes, bytes.Length - 8);
        var footerStart = bytes.Length - 8 - footerLength;
        bytes.AsSpan(footerStart + 10, footerLength - 20).Fill(0xEE);
        var corrupt = Path.Combine(_directory, "footer.parquet");
        await File.WriteAllBytesAsync(corrupt, bytes);
        var act = async () => await ParquetReader.OpenAsync(corrupt);
        var error = (await act.Should().ThrowAsync<ParquetException>()).Which;
        error.FileName.Should().Be(corrupt);
        error.Offset.Should().BeGreaterThanOrEqualTo(footerStart);
    }
}
