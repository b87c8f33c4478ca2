using ParquetSharp;
using ArrowCompression = ParquetSharp.Compression;
using Streams.Formats.Model;
using Streams.Formats.Parquet.Metadata;
using StreamsReader = Streams.Formats.Parquet.ParquetReader;
using StreamsWriter = Streams.Formats.Parquet.ParquetWriter;
using StreamsWriterOptions = Streams.Formats.Parquet.ParquetWriterOptions;

namespace Streams.Formats.Tests.Parquet;

/// <summary>
/// Interop with Apache Arrow's C++ Parquet (through ParquetSharp) for the codecs DuckDB lacks: Hadoop-framed LZ4,
/// which Arrow reads and writes and DuckDB refuses; and ZSTD/LZ4_RAW from a second writer.
/// </summary>
public sealed class ParquetSharpInteropTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("streams-parquetsharp-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(CompressionCodec.Lz4, ArrowCompression.Lz4Hadoop)]
    [InlineData(CompressionCodec.Lz4Raw, ArrowCompression.Lz4)]
    [InlineData(CompressionCodec.Zstd, ArrowCompression.Zstd)]
    public async Task Arrow_reads_every_value_Streams_writes(CompressionCodec codec, ArrowCompression arrowName)
    {
        var records = ParquetTestData.Flat(3000, seed: (int)codec);
        var path = Path.Combine(_directory, $"streams-{codec}.parquet");
        await using (var writer = new StreamsWriter(File.Create(path), ParquetTestData.FlatSchema,
                         new StreamsWriterOptions { Compression = codec, RowGroupRows = 1000, PageSize = 4096 }))
        {
            await writer.WriteAsync(records);
        }

        using var file = new ParquetFileReader(path);
        file.FileMetaData.NumRowGroups.Should().Be(3);
        var read = new List<object?[]>();
        for (var g = 0; g < file.FileMetaData.NumRowGroups; g++)
        {
            using var group = file.RowGroup(g);
            group.MetaData.GetColumnChunkMetaData(0).Compression.Should().Be(arrowName);
            var n = (int)group.MetaData.NumRows;
            var columns = new object?[][]
            {
                Box(group.Column(0).LogicalReader<long>().ReadAll(n)),
                Box(group.Column(1).LogicalReader<bool>().ReadAll(n)),
                Box(group.Column(2).LogicalReader<int>().ReadAll(n)),
                Box(group.Column(3).LogicalReader<long?>().ReadAll(n)),
                Box(group.Column(4).LogicalReader<float>().ReadAll(n)),
                Box(group.Column(5).LogicalReader<double?>().ReadAll(n)),
                Box(group.Column(6).LogicalReader<string?>().ReadAll(n)),
                Box(group.Column(7).LogicalReader<string>().ReadAll(n)),
            };
            read.AddRange(Enumerable.Range(0, n).Select(r => columns.Select(c => c[r]).ToArray()));
        }

        RecordAssert.Equal(records, read.Select(v => new GenericRecord(ParquetTestData.FlatSchema, v)).ToList());
    }

    [Theory]
    [InlineData(ArrowCompression.Lz4Hadoop, CompressionCodec.Lz4)]
    [InlineData(ArrowCompression.Lz4, CompressionCodec.Lz4Raw)]
    [InlineData(ArrowCompression.Zstd, CompressionCodec.Zstd)]
    public async Task Streams_reads_every_value_Arrow_writes(ArrowCompression arrowName, CompressionCodec codec)
    {
        var records = ParquetTestData.Flat(2500, seed: 7);
        var path = Path.Combine(_directory, $"arrow-{arrowName}.parquet");
        using (var writer = new ParquetFileWriter(path,
               [
                   new Column<long>("id"), new Column<bool>("b"), new Column<int>("i"), new Column<long?>("l"),
                   new Column<float>("f"), new Column<double?>("d"), new Column<string>("s"), new Column<string>("low"),
               ], arrowName))
        {
            foreach (var chunk in records.Chunk(1000))
            {
                using var group = writer.AppendRowGroup();
                Write(group, chunk.Select(r => (long)r["id"]!));
                Write(group, chunk.Select(r => (bool)r["b"]!));
                Write(group, chunk.Select(r => (int)r["i"]!));
                Write(group, chunk.Select(r => (long?)r["l"]));
                Write(group, chunk.Select(r => (float)r["f"]!));
                Write(group, chunk.Select(r => (double?)r["d"]));
                Write(group, chunk.Select(r => (string?)r["s"]));
                Write(group, chunk.Select(r => (string?)r["low"]));
            }

            writer.Close();
        }

        await using var reader = await StreamsReader.OpenAsync(path);
        reader.Metadata.RowGroups.SelectMany(g => g.Columns).Select(c => c.MetaData!.Codec).Distinct().Should().Equal(codec);
        var read = await reader.ReadAsync().ToListAsync();
        // Arrow writes every string column optional, so compare values, not schemas.
        RecordAssert.Equal(records, read.Select(r => new GenericRecord(ParquetTestData.FlatSchema, r.Values.ToArray())).ToList());
    }

    private static object?[] Box<T>(T[] values) => values.Select(v => (object?)v).ToArray();

    private static void Write<T>(RowGroupWriter group, IEnumerable<T> values)
    {
        using var column = group.NextColumn().LogicalWriter<T>();
        column.WriteBatch(values.ToArray());
    }
}
