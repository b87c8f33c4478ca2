using System.Text.Json.Nodes;
using Streams.Formats.Model;
using Streams.Formats.Parquet;
using Streams.Formats.Parquet.Metadata;
using Streams.Testing;

namespace Streams.Formats.Tests.Parquet;

/// <summary>Interop with DuckDB (an independent Parquet implementation): each side reads what the other writes.</summary>
public sealed class ParquetDuckDbInteropTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("streams-parquet-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<CompressionCodec, int, bool> Variants() => new()
    {
        { CompressionCodec.Snappy, 1, true },
        { CompressionCodec.Gzip, 1, false },
        { CompressionCodec.Uncompressed, 2, true },
        { CompressionCodec.Snappy, 2, false },
        { CompressionCodec.Gzip, 2, true },
        { CompressionCodec.Zstd, 1, true },
        { CompressionCodec.Zstd, 2, false },
        { CompressionCodec.Lz4Raw, 1, false },
        { CompressionCodec.Lz4Raw, 2, true },
    };

    /// <summary>
    /// Known gap of DuckDB 1.5: it reads LZ4_RAW but not the deprecated Hadoop-framed LZ4 codec (Arrow does; see
    /// ParquetSharpInteropTests). Asserted, so a DuckDB that learns it shows up here and joins the variants above.
    /// </summary>
    [Fact]
    public async Task DuckDB_refuses_Hadoop_framed_LZ4()
    {
        var path = Path.Combine(_directory, "lz4.parquet");
        await using (var writer = new ParquetWriter(File.Create(path), ParquetTestData.FlatSchema, new ParquetWriterOptions { Compression = CompressionCodec.Lz4 }))
        {
            await writer.WriteAsync(ParquetTestData.Flat(100));
        }

        var act = async () => await DuckDb.QueryAsync($"SELECT * FROM read_parquet({DuckDb.Literal(path)})");
        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("Unsupported compression codec \"LZ4\"");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task DuckDB_reads_every_value_Streams_writes(CompressionCodec codec, int pageVersion, bool dictionary)
    {
        var records = ParquetTestData.Full(1200, seed: (int)codec * 10 + pageVersion);
        var path = Path.Combine(_directory, "streams.parquet");
        await using (var writer = new ParquetWriter(File.Create(path), ParquetTestData.FullSchema, new ParquetWriterOptions
                     {
                         Compression = codec, DataPageVersion = pageVersion, EnableDictionary = dictionary,
                         PageSize = 8192, RowGroupRows = 500,
                     }))
        {
            await writer.WriteAsync(records);
        }

        var rows = await DuckDb.QueryAsync($"SELECT * FROM read_parquet({DuckDb.Literal(path)}) ORDER BY id");
        var fromDuckDb = rows.Select(r => DuckDbValues.ToRecord(r!.AsObject(), ParquetTestData.FullSchema)).ToList();
        RecordAssert.Equal(records.Select(TruncateUtcNanos).ToList(), fromDuckDb);
    }

    /// <summary>
    /// DuckDB reads TIMESTAMP(NANOS, isAdjustedToUTC=true) as TIMESTAMP WITH TIME ZONE, which holds microseconds:
    /// it drops the last three digits, so the expectation does too (the local nanosecond column keeps them).
    /// </summary>
    private static GenericRecord TruncateUtcNanos(GenericRecord record)
    {
        var copy = new GenericRecord(record.Schema, record.Values.ToArray());
        copy["tsn"] = (long)record["tsn"]! / 1000 * 1000;
        return copy;
    }

    [Fact]
    public async Task DuckDB_sees_Streams_types_and_statistics()
    {
        var path = Path.Combine(_directory, "types.parquet");
        await using (var writer = new ParquetWriter(File.Create(path), ParquetTestData.FullSchema))
        {
            await writer.WriteAsync(ParquetTestData.Full(50));
        }

        var types = await DuckDb.QueryAsync(
            $"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet({DuckDb.Literal(path)}))");
        var byName = types.ToDictionary(t => t!["column_name"]!.GetValue<string>(), t => t!["column_type"]!.GetValue<string>());
        byName["u"].Should().Be("UUID");
        byName["dt"].Should().Be("DATE");
        byName["tm"].Should().Be("TIME");
        byName["tsu"].Should().Be("TIMESTAMP WITH TIME ZONE");
        byName["ltu"].Should().Be("TIMESTAMP");
        byName["dec"].Should().Be("DECIMAL(10,3)");
        byName["tags"].Should().Be("VARCHAR[]");
        byName["attrs"].Should().Be("MAP(VARCHAR, BIGINT)");

        var stats = await DuckDb.QueryAsync(
            $"SELECT path_in_schema, stats_min_value, stats_max_value, stats_null_count FROM parquet_metadata({DuckDb.Literal(path)}) WHERE path_in_schema = 'id'");
        stats[0]!["stats_min_value"]!.GetValue<string>().Should().Be("0");
        stats[0]!["stats_max_value"]!.GetValue<string>().Should().Be("49");
    }

    [Fact]
    public async Task DuckDB_reads_JSON_and_integer_width_annotations()
    {
        var schema = (RecordSchema)Streams.Formats.Avro.Schemas.AvroSchemaParser.Parse("""
            {"type":"record","name":"Widths","fields":[
              {"name":"doc","type":{"type":"string","logicalType":"json"}},
              {"name":"i8","type":{"type":"int","logicalType":"int8"}},
              {"name":"i16","type":{"type":"int","logicalType":"int16"}},
              {"name":"u8","type":{"type":"int","logicalType":"uint8"}},
              {"name":"u16","type":{"type":"int","logicalType":"uint16"}},
              {"name":"u32","type":{"type":"int","logicalType":"uint32"}},
              {"name":"u64","type":{"type":"long","logicalType":"uint64"}}]}
            """);
        var path = Path.Combine(_directory, "widths.parquet");
        await using (var writer = new ParquetWriter(File.Create(path), schema))
        {
            await writer.WriteAsync(new GenericRecord(schema, ["{\"a\": [1, 2]}", -128, 32767, 255, 65535, -1, -1L]));
            await writer.WriteAsync(new GenericRecord(schema, ["null", 127, -32768, 0, 0, int.MaxValue, long.MaxValue]));
        }

        var types = await DuckDb.QueryAsync($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet({DuckDb.Literal(path)}))");
        types.Select(t => t!["column_type"]!.GetValue<string>()).Should().Equal("JSON", "TINYINT", "SMALLINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT");
        var rows = await DuckDb.QueryAsync($"SELECT doc::VARCHAR AS doc, i8::VARCHAR AS i8, u32::VARCHAR AS u32, u64::VARCHAR AS u64 FROM read_parquet({DuckDb.Literal(path)})");
        rows[0]!["doc"]!.GetValue<string>().Should().Be("{\"a\": [1, 2]}");
        rows[0]!["i8"]!.GetValue<string>().Should().Be("-128");
        rows[0]!["u32"]!.GetValue<string>().Should().Be("4294967295");
        rows[0]!["u64"]!.GetValue<string>().Should().Be("18446744073709551615");

        await using var reader = await ParquetReader.OpenAsync(path);
        var read = await reader.ReadAsync().ToListAsync();
        read[1]["u32"].Should().Be(int.MaxValue);
        read[0]["i16"].Should().Be(32767);
    }

    [Fact]
    public async Task DuckDB_reads_decimals_backed_by_INT32_and_INT64()
    {
        var schema = new RecordSchema(new SchemaName("Money", "test"),
        [
            new Field("small", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(9, 2))),
            new Field("large", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(18, 6))),
            new Field("huge", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(30, 4))),
        ]);
        var records = Enumerable.Range(0, 500).Select(i => new GenericRecord(schema,
        [
            new DecimalValue((i - 250) * 1234567L, 2),
            new DecimalValue((i - 250) * 123456789012L, 6),
            new DecimalValue(System.Numerics.BigInteger.Pow(10, 25) * (i - 250) + i, 4),
        ])).ToList();
        var path = Path.Combine(_directory, "decimals.parquet");
        await using (var writer = new ParquetWriter(File.Create(path), schema,
                         new ParquetWriterOptions { Schema = new Streams.Formats.Parquet.Schema.ParquetSchemaOptions { DecimalAsInteger = true } }))
        {
            await writer.WriteAsync(records);
        }

        await using (var reader = await ParquetReader.OpenAsync(path))
        {
            reader.ParquetSchema.Columns.Select(c => c.PhysicalType).Should().Equal(PhysicalType.Int32, PhysicalType.Int64, PhysicalType.ByteArray);
            RecordAssert.Equal(records, await reader.ReadAsync().ToListAsync());
        }

        var rows = await DuckDb.QueryAsync($"SELECT * FROM read_parquet({DuckDb.Literal(path)})");
        RecordAssert.Equal(records, rows.Select(r => DuckDbValues.ToRecord(r!.AsObject(), schema)).ToList());
    }

    public static TheoryData<string> DuckDbCodecs() => new() { "snappy", "gzip", "uncompressed", "lz4_raw", "brotli", "zstd" };

    [Theory]
    [MemberData(nameof(DuckDbCodecs))]
    public async Task Streams_reads_every_value_DuckDB_writes(string codec)
    {
        var path = Path.Combine(_directory, $"duck-{codec}.parquet");
        var rows = await DuckDb.QueryAsync(
            $"CREATE TABLE t AS {DuckDbTableSql(5000)}",
            $"COPY t TO {DuckDb.Literal(path)} (FORMAT parquet, COMPRESSION {codec}, ROW_GROUP_SIZE 2048)",
            "SELECT * FROM t ORDER BY id");
        await using var reader = await ParquetReader.OpenAsync(path);
        reader.Metadata.RowGroups.Count.Should().BeGreaterThan(1);
        // The file really carries the codec asked for, so a DuckDB that silently fell back would fail here.
        reader.Metadata.RowGroups.SelectMany(g => g.Columns).Select(c => c.MetaData!.Codec).Distinct()
            .Should().Equal(codec switch
            {
                "snappy" => CompressionCodec.Snappy, "gzip" => CompressionCodec.Gzip, "uncompressed" => CompressionCodec.Uncompressed,
                "lz4_raw" => CompressionCodec.Lz4Raw, "brotli" => CompressionCodec.Brotli, "zstd" => CompressionCodec.Zstd,
                _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, null),
            });
        var duckSchema = await AssertSchemaIsDuckDbsAsync(path, reader);
        var read = await reader.ReadAsync().ToListAsync();
        var expected = rows.Select(r => DuckDbValues.ToRecord(r!.AsObject(), duckSchema)).ToList();
        RecordAssert.Equal(expected, read.OrderBy(r => (int)r["id"]!).ToList(), compareNames: false);
    }

    [Fact]
    public async Task Streams_reads_DuckDB_V2_encodings()
    {
        var path = Path.Combine(_directory, "duck-v2.parquet");
        var rows = await DuckDb.QueryAsync(
            $"CREATE TABLE t AS {DuckDbTableSql(4000)}",
            $"COPY t TO {DuckDb.Literal(path)} (FORMAT parquet, PARQUET_VERSION V2, ROW_GROUP_SIZE 2000)",
            "SELECT * FROM t ORDER BY id");
        var encodings = await DuckDb.QueryAsync(
            $"SELECT DISTINCT encodings FROM parquet_metadata({DuckDb.Literal(path)})");
        var all = string.Join(",", encodings.Select(e => e!["encodings"]!.ToJsonString()));
        all.Should().Contain("DELTA_BINARY_PACKED").And.Contain("BYTE_STREAM_SPLIT");

        await using var reader = await ParquetReader.OpenAsync(path);
        var duckSchema = await AssertSchemaIsDuckDbsAsync(path, reader);
        var read = await reader.ReadAsync().ToListAsync();
        var expected = rows.Select(r => DuckDbValues.ToRecord(r!.AsObject(), duckSchema)).ToList();
        RecordAssert.Equal(expected, read.OrderBy(r => (int)r["id"]!).ToList(), compareNames: false);
    }

    [Fact]
    public async Task Streams_and_DuckDB_agree_on_INT96_and_two_level_lists()
    {
        // DuckDB does not write these legacy layouts, so the file is assembled from the metadata API by hand
        // and both readers must agree on it.
        var path = Path.Combine(_directory, "legacy.parquet");
        LegacyFile.Write(path);
        var rows = await DuckDb.QueryAsync($"SELECT ts::VARCHAR AS ts, vals FROM read_parquet({DuckDb.Literal(path)})");
        rows.Select(r => r!["ts"]!.GetValue<string>()).Should().Equal(LegacyFile.ExpectedTimestamps);

        await using var reader = await ParquetReader.OpenAsync(path);
        reader.Schema.GetField("ts")!.Schema.LogicalType!.Name.Should().Be(LogicalType.TimestampNanosName);
        var read = await reader.ReadAsync().ToListAsync();
        read.Select(r => DateTime.UnixEpoch.AddTicks((long)r["ts"]! / 100).ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture))
            .Should().Equal(LegacyFile.ExpectedTimestamps.Select(t => t.Length == 19 ? t + ".000000" : t.PadRight(26, '0')));
        for (var i = 0; i < rows.Count; i++)
        {
            var duck = rows[i]!["vals"] is JsonArray a ? a.Select(v => (object?)v!.GetValue<int>()).ToList() : null;
            RecordAssert.Format(read[i]["vals"]).Should().Be(RecordAssert.Format(duck), $"row {i}");
        }
    }

    /// <summary>
    /// Asserts the schema Streams derived from a DuckDB file against DuckDB's own view of it, and returns the
    /// model schema DuckDB's types map to (<see cref="DuckDbTypes"/>), for expectations that do not come from
    /// Streams: every footer schema element against DuckDB's parquet_schema, every column's type against DESCRIBE.
    /// </summary>
    private static async Task<RecordSchema> AssertSchemaIsDuckDbsAsync(string path, ParquetReader reader)
    {
        var elements = await DuckDb.QueryAsync(
            $"SELECT name, type, type_length, repetition_type, num_children, converted_type, scale, precision, logical_type FROM parquet_schema({DuckDb.Literal(path)})");
        var duckElements = DuckDbTypes.ElementRows(elements).ToList();
        reader.ParquetSchema.Elements.Should().HaveCount(duckElements.Count);
        for (var i = 0; i < duckElements.Count; i++)
        {
            DuckDbTypes.ElementLine(reader.ParquetSchema.Elements[i]).Should().Be(duckElements[i], "schema element {0}", i);
        }

        var described = await DuckDb.QueryAsync(
            $"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet({DuckDb.Literal(path)}))");
        var duckSchema = new RecordSchema(new SchemaName("duckdb_schema", null), described.Select(d =>
            new Field(d!["column_name"]!.GetValue<string>(), DuckDbTypes.ToSchema(d["column_type"]!.GetValue<string>()))));
        duckSchema.Fields.Should().HaveCount(22, "the table has 22 columns");
        reader.Schema.Fields.Should().HaveCount(duckSchema.Fields.Count);
        for (var i = 0; i < duckSchema.Fields.Count; i++)
        {
            var (ours, duck) = (reader.Schema.Fields[i], duckSchema.Fields[i]);
            $"{ours.Name}: {DuckDbTypes.Describe(ours.Schema)}".Should().Be($"{duck.Name}: {DuckDbTypes.Describe(duck.Schema)}",
                "DuckDB describes column {0} as {1}", duck.Name, described[i]!["column_type"]!.GetValue<string>());
        }
        return duckSchema;
    }

    /// <summary>A DuckDB table with many types, nulls and nesting.</summary>
    private static string DuckDbTableSql(int rows) => $$"""
        SELECT i::INTEGER AS id,
               i % 3 = 0 AS flag,
               (i * 7919 % 1000)::SMALLINT AS small,
               i * 1000003::BIGINT AS big,
               CASE WHEN i % 5 = 0 THEN NULL ELSE i * 1.5 END AS dbl,
               (i / 4.0)::FLOAT AS flt,
               'name-' || (i % 50) AS name,
               CASE WHEN i % 7 = 0 THEN NULL ELSE md5(i::VARCHAR) END AS hash,
               DATE '2020-01-01' + i::INTEGER AS day,
               TIMESTAMP '2021-06-01 12:00:00' + i * INTERVAL 61 SECOND AS ts,
               TIMESTAMPTZ '2021-06-01 12:00:00+00' + i * INTERVAL 1 MINUTE AS tstz,
               TIME '08:00:00' + i * INTERVAL 1 SECOND AS tod,
               (i / 100.0)::DECIMAL(9,2) AS dec9,
               (i * 12345.6789)::DECIMAL(18,4) AS dec18,
               (i * 1e20)::DECIMAL(38,3) AS dec38,
               ('\x01\x02'::BLOB) AS blob,
               ('00000000-0000-0000-0000-' || lpad(i::VARCHAR, 12, '0'))::UUID AS uid,
               range(i % 4)::INTEGER[] AS ints,
               CASE WHEN i % 6 = 0 THEN NULL ELSE ['a', NULL, 'c'][1:(i % 3)] END AS strs,
               {'x': i, 'y': CASE WHEN i % 2 = 0 THEN NULL ELSE 'odd' END} AS point,
               MAP {'k': i} AS m,
               [{'q': i}, {'q': i + 1}] AS recs
        FROM range({{rows}}) r(i)
        """;
}
