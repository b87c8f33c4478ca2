using System.Buffers;
using System.Buffers.Binary;
using Streams.Formats.Parquet.Encodings;
using Streams.Formats.Parquet.Metadata;
using Streams.Formats.Parquet.Schema;
using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Columns;

/// <summary>
/// Writes one column chunk: an optional dictionary page, then data pages (v1 or v2) of about
/// <see cref="ParquetWriterOptions.PageSize"/> each, with chunk and page statistics.
/// </summary>
internal sealed class ColumnChunkWriter(ParquetWriterOptions options)
{
    private readonly ArrayBufferWriter<byte> _levels = new();
    private readonly ArrayBufferWriter<byte> _values = new();
    private readonly ArrayBufferWriter<byte> _body = new();
    private readonly ArrayBufferWriter<byte> _compressed = new();
    private readonly ArrayBufferWriter<byte> _header = new();

    /// <summary>Appends the chunk's pages to <paramref name="output"/>; <paramref name="fileOffset"/> is where output starts in the file.</summary>
    public ColumnChunk Write(ColumnBuffer column, ParquetSchemaNode leaf, ArrayBufferWriter<byte> output, long fileOffset)
    {
        var start = output.WrittenCount;
        long uncompressedTotal = 0;
        long? dictionaryOffset = null;
        var dictionary = options.EnableDictionary ? DictionaryEncoder.TryBuild(column, options.DictionaryPageSizeLimit) : null;
        if (dictionary is not null)
        {
            dictionaryOffset = fileOffset + output.WrittenCount;
            _values.ResetWrittenCount();
            PlainEncoding.Encode(dictionary.Values, 0, dictionary.Values.ValueCount, _values);
            uncompressedTotal += WritePage(output, ReadOnlySpan<byte>.Empty, _values.WrittenSpan, new PageHeader
            {
                Type = PageType.DictionaryPage,
                DictionaryPageHeader = new DictionaryPageHeader { NumValues = dictionary.Values.ValueCount, Encoding = ParquetEncoding.Plain },
            });
        }

        var dataOffset = fileOffset + output.WrittenCount;
        var bitWidth = dictionary is null ? 0 : RleBitPackedHybrid.BitWidth(dictionary.Values.ValueCount - 1);
        var encoding = dictionary is null ? ParquetEncoding.Plain : ParquetEncoding.RleDictionary;
        var level = 0;
        var value = 0;
        do
        {
            var (levelEnd, valueEnd) = NextPage(column, level, value, dictionary is null ? -1 : bitWidth);
            uncompressedTotal += WriteDataPage(column, leaf, output, level, levelEnd, value, valueEnd, dictionary, bitWidth, encoding);
            level = levelEnd;
            value = valueEnd;
        }
        while (level < column.LevelCount);

        var compressedTotal = output.WrittenCount - start;
        var metadata = new ColumnMetaData
        {
            Type = leaf.PhysicalType,
            Encodings = dictionary is null ? [ParquetEncoding.Plain, ParquetEncoding.Rle] : [ParquetEncoding.Plain, ParquetEncoding.RleDictionary, ParquetEncoding.Rle],
            PathInSchema = leaf.Path,
            Codec = options.Compression,
            NumValues = column.LevelCount,
            TotalUncompressedSize = uncompressedTotal,
            TotalCompressedSize = compressedTotal,
            DataPageOffset = dataOffset,
            DictionaryPageOffset = dictionaryOffset,
            Statistics = options.WriteStatistics
                ? ColumnStatistics.Compute(column, leaf, 0, column.ValueCount, column.LevelCount - column.ValueCount)
                : null,
        };
        return new ColumnChunk { FileOffset = dictionaryOffset ?? dataOffset, MetaData = metadata };
    }

    private (int LevelEnd, int ValueEnd) NextPage(ColumnBuffer column, int level, int value, int dictionaryBitWidth)
    {
        var max = column.MaxDefinitionLevel;
        var defs = column.DefinitionLevels;
        var reps = column.RepetitionLevels;
        var target = options.PageSize;
        long bytes = 0;
        var fixedWidth = dictionaryBitWidth >= 0 ? Math.Max(1, dictionaryBitWidth) / 8.0 : column.Type switch
        {
            PhysicalType.Boolean => 0.125,
            PhysicalType.Int32 or PhysicalType.Float => 4,
            PhysicalType.Int64 or PhysicalType.Double => 8,
            PhysicalType.ByteArray => -1,
            _ => column.TypeLength,
        };
        double estimate = 0;
        while (level < column.LevelCount)
        {
            if (max == 0 || defs[level] == max)
            {
                estimate += fixedWidth >= 0 ? fixedWidth : 4 + column.Offsets[value + 1] - column.Offsets[value];
                value++;
            }

            level++;
            bytes = (long)estimate;
            if (bytes >= target && (column.MaxRepetitionLevel == 0 || level == column.LevelCount || reps[level] == 0))
            {
                break;
            }
        }

        return (level, value);
    }

    private long WriteDataPage(ColumnBuffer column, ParquetSchemaNode leaf, ArrayBufferWriter<byte> output, int level, int levelEnd,
        int value, int valueEnd, DictionaryEncoding? dictionary, int bitWidth, ParquetEncoding encoding)
    {
        var entries = levelEnd - level;
        var nulls = entries - (valueEnd - value);
        var rows = column.MaxRepetitionLevel == 0 ? entries : column.RepetitionLevels.AsSpan(level, entries).Count((byte)0);

        _values.ResetWrittenCount();
        if (dictionary is null)
        {
            PlainEncoding.Encode(column, value, valueEnd - value, _values);
        }
        else
        {
            _values.GetSpan(1)[0] = (byte)bitWidth;
            _values.Advance(1);
            RleBitPackedHybrid.Encode<int>(dictionary.Indices.AsSpan(value, valueEnd - value), bitWidth, _values);
        }

        var statistics = options.WriteStatistics ? ColumnStatistics.Compute(column, leaf, value, valueEnd - value, nulls) : null;
        _levels.ResetWrittenCount();
        if (options.DataPageVersion == 1)
        {
            WriteLevelsV1(column.RepetitionLevels, column.MaxRepetitionLevel, level, entries);
            WriteLevelsV1(column.DefinitionLevels, column.MaxDefinitionLevel, level, entries);
            return WritePage(output, _levels.WrittenSpan, _values.WrittenSpan, new PageHeader
            {
                Type = PageType.DataPage,
                DataPageHeader = new DataPageHeader
                {
                    NumValues = entries, Encoding = encoding, Statistics = statistics,
                    DefinitionLevelEncoding = ParquetEncoding.Rle, RepetitionLevelEncoding = ParquetEncoding.Rle,
                },
            });
        }

        var repLength = WriteLevelsV2(column.RepetitionLevels, column.MaxRepetitionLevel, level, entries);
        var defLength = WriteLevelsV2(column.DefinitionLevels, column.MaxDefinitionLevel, level, entries);
        return WritePage(output, _levels.WrittenSpan, _values.WrittenSpan, new PageHeader
        {
            Type = PageType.DataPageV2,
            DataPageHeaderV2 = new DataPageHeaderV2
            {
                NumValues = entries, NumNulls = nulls, NumRows = rows, Encoding = encoding,
                DefinitionLevelsByteLength = defLength, RepetitionLevelsByteLength = repLength,
                IsCompressed = options.Compression != CompressionCodec.Uncompressed, Statistics = statistics,
            },
        });
    }

    private void WriteLevelsV1(byte[] levels, int maxLevel, int start, int count)
    {
        if (maxLevel == 0)
        {
            return;
        }

        // v1 levels carry a 4-byte length prefix.
        var lengthAt = _levels.WrittenCount;
        _levels.GetSpan(4);
        _levels.Advance(4);
        RleBitPackedHybrid.Encode<byte>(levels.AsSpan(start, count), RleBitPackedHybrid.BitWidth(maxLevel), _levels);
        var length = _levels.WrittenCount - lengthAt - 4;
        BinaryPrimitives.WriteInt32LittleEndian(
            System.Runtime.InteropServices.MemoryMarshal.AsMemory(_levels.WrittenMemory).Span.Slice(lengthAt, 4), length);
    }

    private int WriteLevelsV2(byte[] levels, int maxLevel, int start, int count)
    {
        if (maxLevel == 0)
        {
            return 0;
        }

        var before = _levels.WrittenCount;
        RleBitPackedHybrid.Encode<byte>(levels.AsSpan(start, count), RleBitPackedHybrid.BitWidth(maxLevel), _levels);
        return _levels.WrittenCount - before;
    }

    /// <summary>
    /// Writes header + body. v1 and dictionary pages compress levels and values together; v2 compresses only
    /// the values (levels are passed separately and stay as they are). Returns the uncompressed size with header.
    /// </summary>
    private long WritePage(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> levels, ReadOnlySpan<byte> values, PageHeader header)
    {
        var v2 = header.Type == PageType.DataPageV2;
        ReadOnlySpan<byte> body;
        int uncompressed;
        _compressed.ResetWrittenCount();
        if (v2)
        {
            uncompressed = levels.Length + values.Length;
            _compressed.Write(levels);
            PageCompression.Compress(options.Compression, values, _compressed, options.CompressionLevel);
            body = _compressed.WrittenSpan;
        }
        else
        {
            _body.ResetWrittenCount();
            _body.Write(levels);
            _body.Write(values);
            uncompressed = _body.WrittenCount;
            if (options.Compression == CompressionCodec.Uncompressed)
            {
                body = _body.WrittenSpan;
            }
            else
            {
                PageCompression.Compress(options.Compression, _body.WrittenSpan, _compressed, options.CompressionLevel);
                body = _compressed.WrittenSpan;
            }
        }

        _header.ResetWrittenCount();
        (header with { UncompressedPageSize = uncompressed, CompressedPageSize = body.Length }).Write(new ThriftCompactWriter(_header));
        output.Write(_header.WrittenSpan);
        output.Write(body);
        return _header.WrittenCount + uncompressed;
    }
}
