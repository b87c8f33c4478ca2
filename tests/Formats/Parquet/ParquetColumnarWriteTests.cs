using System.Text;
using System.Text.Json.Nodes;
using Streams.Formats.Model;
using Streams.Formats.Parquet;
using Streams.Formats.Parquet.Columns;

namespace Streams.Formats.Tests.Parquet;

/// <summary>The columnar write path (<see cref="ParquetWriter.WriteRowGroupAsync"/>) against the record path.</summary>
public sealed class ParquetColumnarWriteTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("streams-parquet-columnar-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Fills the writer's buffers from records by hand, the way a sink that holds columns would.</summary>
    private static void Fill(ColumnBuffer[] columns, IReadOnlyList<GenericRecord> records)
    {
        foreach (var column in columns)
        {
            column.Clear();
        }

        columns[0].AddValues<long>(records.Select(r => (long)r["id"]!).ToArray());
        columns[0].AddEntries(records.Count);
        columns[1].AddValues<bool>(records.Select(r => (bool)r["b"]!).ToArray());
        columns[1].AddEntries(records.Count);
        columns[2].AddValues<int>(records.Select(r => (int)r["i"]!).ToArray());
        columns[2].AddEntries(records.Count);
        columns[3].AddValues<long>(records.Where(r => r["l"] is not null).Select(r => (long)r["l"]!).ToArray());
        columns[3].AddEntries(records.Count, records.Select(r => (byte)(r["l"] is null ? 0 : 1)).ToArray());
        columns[4].AddValues<float>(records.Select(r => (float)r["f"]!).ToArray());
        columns[4].AddEntries(records.Count);
        columns[5].AddValues<double>(records.Where(r => r["d"] is not null).Select(r => (double)r["d"]!).ToArray());
        columns[5].AddEntries(records.Count, records.Select(r => (byte)(r["d"] is null ? 0 : 1)).ToArray());
        foreach (var r in records.Where(r => r["s"] is not null))
        {
            columns[6].AddBytes(Encoding.UTF8.GetBytes((string)r["s"]!));
        }

        columns[6].AddEntries(records.Count, records.Select(r => (byte)(r["s"] is null ? 0 : 1)).ToArray());
        foreach (var r in records)
        {
            columns[7].AddBytes(Encoding.UTF8.GetBytes((string)r["low"]!));
        }

        columns[7].AddEntries(records.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Columnar_and_record_paths_write_files_DuckDB_reads_identically(int pageVersion)
    {
        var records = ParquetTestData.Flat(5000, seed: pageVersion);
        var options = new ParquetWriterOptions { DataPageVersion = pageVersion, PageSize = 8192, RowGroupRows = 2000 };
        var byRecords = Path.Combine(_directory, "records.parquet");
        await using (var writer = new ParquetWriter(File.Create(byRecords), ParquetTestData.FlatSchema, options))
        {
            await writer.WriteAsync(records);
        }

        var byColumns = Path.Combine(_directory, "columns.parquet");
        await using (var writer = new ParquetWriter(File.Create(byColumns), ParquetTestData.FlatSchema, options))
        {
            var columns = writer.CreateColumnBuffers();
            foreach (var chunk in records.Chunk(2000))
            {
                Fill(columns, chunk);
                await writer.WriteRowGroupAsync(columns, chunk.Length);
            }
        }

        var fromRecords = await DuckDb.QueryAsync($"SELECT * FROM read_parquet({DuckDb.Literal(byRecords)}) ORDER BY id");
        var fromColumns = await DuckDb.QueryAsync($"SELECT * FROM read_parquet({DuckDb.Literal(byColumns)}) ORDER BY id");
        fromColumns.Should().HaveCount(records.Count);
        JsonNode.DeepEquals(fromColumns, fromRecords).Should().BeTrue("DuckDB reads the same rows from both files");
        var groups = await DuckDb.QueryAsync(
            $"SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata({DuckDb.Literal(byColumns)})");
        groups[0]!["n"]!.ToJsonString().Trim('"').Should().Be("3");

        await using var reader = await ParquetReader.OpenAsync(byColumns);
        RecordAssert.Equal(records, await reader.ReadAsync().ToListAsync());
    }

    [Fact]
    public async Task Rows_buffered_by_the_record_path_are_written_before_a_columnar_row_group()
    {
        var records = ParquetTestData.Flat(300);
        using var stream = new MemoryStream();
        await using (var writer = new ParquetWriter(stream, ParquetTestData.FlatSchema, leaveOpen: true))
        {
            await writer.WriteAsync(records.Take(100));
            var columns = writer.CreateColumnBuffers();
            Fill(columns, records.Skip(100).ToList());
            await writer.WriteRowGroupAsync(columns, 200);
            writer.RowCount.Should().Be(300);
        }

        stream.Position = 0;
        await using var reader = await ParquetReader.OpenAsync(stream, leaveOpen: true);
        reader.Metadata.RowGroups.Select(g => g.NumRows).Should().Equal(100, 200);
        RecordAssert.Equal(records, await reader.ReadAsync().ToListAsync());
    }

    [Fact]
    public async Task Buffers_that_do_not_fit_are_refused_naming_the_column()
    {
        var records = ParquetTestData.Flat(10);
        await using var writer = new ParquetWriter(new MemoryStream(), ParquetTestData.FlatSchema);
        var columns = writer.CreateColumnBuffers();
        Fill(columns, records);

        var rows = async () => await writer.WriteRowGroupAsync(columns, 11);
        (await rows.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("column 'id'").And.Contain("10 rows, not 11");

        columns[3].AddEntries(1, [1]); // an entry too many, whose value is missing too
        var values = async () => await writer.WriteRowGroupAsync(columns, 10);
        (await values.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("column 'l'");

        var wrongType = writer.CreateColumnBuffers();
        wrongType[0] = new ColumnBuffer(Streams.Formats.Parquet.Metadata.PhysicalType.Int32, 0, 0, 0);
        var type = async () => await writer.WriteRowGroupAsync(wrongType, 0);
        (await type.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("column 'id'").And.Contain("Int32");
        writer.RowCount.Should().Be(0);
    }
}
