using System.Buffers.Binary;
using Streams.Formats.Parquet.Encodings;
using Streams.Formats.Parquet.Metadata;
using Streams.Formats.Parquet.Schema;
using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Columns;

/// <summary>
/// Decodes the pages of one column chunk (dictionary, data v1 and v2; PLAIN, dictionary, RLE booleans,
/// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT) into a <see cref="ColumnBuffer"/>.
/// Errors name the file, the column and the byte offset of the page.
/// </summary>
internal static class ColumnChunkReader
{
    public static ColumnBuffer Read(byte[] chunk, long chunkOffset, ColumnMetaData metadata, ParquetSchemaNode leaf, string? file)
    {
        var column = new ColumnBuffer(leaf.PhysicalType, leaf.Element.TypeLength ?? 0, leaf.MaxDefinitionLevel, leaf.MaxRepetitionLevel);
        ColumnBuffer? dictionary = null;
        var position = 0;
        while (column.LevelCount < metadata.NumValues)
        {
            var pageOffset = chunkOffset + position;
            try
            {
                if (position >= chunk.Length)
                {
                    throw new InvalidDataException(
                        $"The column chunk ends after {column.LevelCount} of its {metadata.NumValues} values (is the file truncated?).");
                }

                var header = PageHeader.Read(chunk.AsSpan(position), out var headerLength);
                var bodyStart = position + headerLength;
                if (header.CompressedPageSize < 0 || header.UncompressedPageSize < 0 || bodyStart + header.CompressedPageSize > chunk.Length)
                {
                    throw new InvalidDataException(
                        $"The page of {header.CompressedPageSize} bytes runs past the end of its column chunk ({chunk.Length - bodyStart} bytes left).");
                }

                var body = new ArraySegment<byte>(chunk, bodyStart, header.CompressedPageSize);
                position = bodyStart + header.CompressedPageSize;
                switch (header.Type)
                {
                    case PageType.DictionaryPage:
                    {
                        var h = header.DictionaryPageHeader ?? throw new InvalidDataException("A dictionary page lacks its header.");
                        var data = PageCompression.Decompress(metadata.Codec, body, header.UncompressedPageSize);
                        dictionary = new ColumnBuffer(column.Type, column.TypeLength, 0, 0);
                        PlainEncoding.Decode(data, h.NumValues, dictionary);
                        break;
                    }
                    case PageType.DataPage:
                    {
                        var h = header.DataPageHeader ?? throw new InvalidDataException("A data page lacks its header.");
                        var data = PageCompression.Decompress(metadata.Codec, body, header.UncompressedPageSize);
                        var p = 0;
                        column.EnsureLevelCapacity(h.NumValues);
                        if (column.MaxRepetitionLevel > 0)
                        {
                            p += ReadLevelsV1(data.AsSpan(p), h.RepetitionLevelEncoding, column.MaxRepetitionLevel,
                                column.RepetitionLevels.AsSpan(column.LevelCount, h.NumValues));
                        }

                        if (column.MaxDefinitionLevel > 0)
                        {
                            p += ReadLevelsV1(data.AsSpan(p), h.DefinitionLevelEncoding, column.MaxDefinitionLevel,
                                column.DefinitionLevels.AsSpan(column.LevelCount, h.NumValues));
                        }

                        ReadValues(data.AsSpan(p), h.Encoding, h.NumValues, column, dictionary);
                        break;
                    }
                    case PageType.DataPageV2:
                    {
                        var h = header.DataPageHeaderV2 ?? throw new InvalidDataException("A v2 data page lacks its header.");
                        var levelsLength = h.RepetitionLevelsByteLength + h.DefinitionLevelsByteLength;
                        if (h.RepetitionLevelsByteLength < 0 || h.DefinitionLevelsByteLength < 0 || levelsLength > body.Count)
                        {
                            throw new InvalidDataException($"The v2 page's level lengths ({levelsLength} bytes) exceed the page.");
                        }

                        column.EnsureLevelCapacity(h.NumValues);
                        var levels = body.AsSpan(0, levelsLength);
                        if (column.MaxRepetitionLevel > 0)
                        {
                            RleBitPackedHybrid.Decode<byte>(levels[..h.RepetitionLevelsByteLength], RleBitPackedHybrid.BitWidth(column.MaxRepetitionLevel),
                                column.RepetitionLevels.AsSpan(column.LevelCount, h.NumValues));
                        }

                        if (column.MaxDefinitionLevel > 0)
                        {
                            RleBitPackedHybrid.Decode<byte>(levels[h.RepetitionLevelsByteLength..], RleBitPackedHybrid.BitWidth(column.MaxDefinitionLevel),
                                column.DefinitionLevels.AsSpan(column.LevelCount, h.NumValues));
                        }

                        var compressedValues = body.Slice(levelsLength);
                        var values = h.IsCompressed && metadata.Codec != CompressionCodec.Uncompressed
                            ? PageCompression.Decompress(metadata.Codec, compressedValues, header.UncompressedPageSize - levelsLength)
                            : compressedValues.AsSpan().ToArray();
                        ReadValues(values, h.Encoding, h.NumValues, column, dictionary);
                        break;
                    }
                    default:
                        continue; // index pages and future page types carry no values
                }
            }
            catch (Exception e) when (e is InvalidDataException or ThriftException or ArgumentException or IndexOutOfRangeException
                                          or OverflowException or NotSupportedException)
            {
                throw new ParquetException($"Cannot decode page: {e.Message}", file, leaf.DottedPath, pageOffset, e);
            }
        }

        return column;
    }

    private static int ReadLevelsV1(ReadOnlySpan<byte> data, ParquetEncoding encoding, int maxLevel, Span<byte> output)
    {
        if (encoding != ParquetEncoding.Rle)
        {
            throw new NotSupportedException($"Levels encoded as {encoding} are not supported (only RLE).");
        }

        if (data.Length < 4)
        {
            throw new InvalidDataException("The page ends inside the length of its levels.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (length < 0 || length > data.Length - 4)
        {
            throw new InvalidDataException($"Levels of {length} bytes exceed the page.");
        }

        RleBitPackedHybrid.Decode(data.Slice(4, length), RleBitPackedHybrid.BitWidth(maxLevel), output);
        return 4 + length;
    }

    private static void ReadValues(ReadOnlySpan<byte> data, ParquetEncoding encoding, int entries, ColumnBuffer column, ColumnBuffer? dictionary)
    {
        var count = column.MaxDefinitionLevel == 0
            ? entries
            : column.DefinitionLevels.AsSpan(column.LevelCount, entries).Count((byte)column.MaxDefinitionLevel);
        column.CommitLevels(entries);
        if (encoding is not (ParquetEncoding.PlainDictionary or ParquetEncoding.RleDictionary) && count > 0)
        {
            column.TrackDictionary(null, default, column.ValueCount);
        }

        switch (encoding)
        {
            case ParquetEncoding.Plain:
                PlainEncoding.Decode(data, count, column);
                return;
            case ParquetEncoding.PlainDictionary or ParquetEncoding.RleDictionary:
                ReadDictionaryIndexes(data, count, column,
                    dictionary ?? throw new InvalidDataException("A dictionary-encoded page comes without a dictionary page."));
                return;
            case ParquetEncoding.Rle when column.Type == PhysicalType.Boolean:
            {
                if (data.Length < 4)
                {
                    throw new InvalidDataException("The RLE boolean data lacks its length.");
                }

                var length = BinaryPrimitives.ReadInt32LittleEndian(data);
                var bits = new byte[count];
                RleBitPackedHybrid.Decode<byte>(data.Slice(4, Math.Min(length, data.Length - 4)), 1, bits);
                var target = column.ReserveValues<bool>(count);
                for (var i = 0; i < count; i++)
                {
                    target[i] = bits[i] != 0;
                }

                column.CommitValues(count);
                return;
            }
            case ParquetEncoding.DeltaBinaryPacked when column.Type is PhysicalType.Int32 or PhysicalType.Int64:
            {
                var values = new long[count];
                DeltaBinaryPacked.Decode(data, values, out var decoded);
                if (decoded != count)
                {
                    throw new InvalidDataException($"DELTA_BINARY_PACKED holds {decoded} values where {count} were expected.");
                }

                if (column.Type == PhysicalType.Int64)
                {
                    values.CopyTo(column.ReserveValues<long>(count));
                }
                else
                {
                    var target = column.ReserveValues<int>(count);
                    for (var i = 0; i < count; i++)
                    {
                        target[i] = unchecked((int)values[i]);
                    }
                }

                column.CommitValues(count);
                return;
            }
            case ParquetEncoding.DeltaLengthByteArray when column.Type == PhysicalType.ByteArray:
                ByteArrayDecoders.DecodeDeltaLength(data, count, column);
                return;
            case ParquetEncoding.DeltaByteArray when column.Type is PhysicalType.ByteArray or PhysicalType.FixedLenByteArray:
                ByteArrayDecoders.DecodeDeltaByteArray(data, count, column);
                return;
            case ParquetEncoding.ByteStreamSplit:
                ByteArrayDecoders.DecodeByteStreamSplit(data, count, column);
                return;
            default:
                throw new NotSupportedException($"Encoding {encoding} is not supported for {column.Type} columns.");
        }
    }

    private static void ReadDictionaryIndexes(ReadOnlySpan<byte> data, int count, ColumnBuffer column, ColumnBuffer dictionary)
    {
        if (count == 0)
        {
            return;
        }

        if (data.Length < 1)
        {
            throw new InvalidDataException("The dictionary-encoded page lacks its bit width.");
        }

        var bitWidth = data[0];
        if (bitWidth > 32)
        {
            throw new InvalidDataException($"Dictionary index bit width {bitWidth} exceeds 32.");
        }

        var indexes = new int[count];
        RleBitPackedHybrid.Decode<int>(data[1..], bitWidth, indexes);
        var size = dictionary.ValueCount;
        foreach (var index in indexes)
        {
            if ((uint)index >= (uint)size)
            {
                throw new InvalidDataException($"Dictionary index {index} is outside the dictionary of {size} values.");
            }
        }

        column.TrackDictionary(dictionary, indexes, column.ValueCount);

        switch (column.Type)
        {
            case PhysicalType.Int32: Gather(dictionary.Int32s, indexes, column.ReserveValues<int>(count)); break;
            case PhysicalType.Int64: Gather(dictionary.Int64s, indexes, column.ReserveValues<long>(count)); break;
            case PhysicalType.Float: Gather(dictionary.Floats, indexes, column.ReserveValues<float>(count)); break;
            case PhysicalType.Double: Gather(dictionary.Doubles, indexes, column.ReserveValues<double>(count)); break;
            case PhysicalType.Boolean: Gather(dictionary.Booleans, indexes, column.ReserveValues<bool>(count)); break;
            default:
                foreach (var index in indexes)
                {
                    column.AddBytes(dictionary.GetBytes(index));
                }

                return;
        }

        column.CommitValues(count);
    }

    private static void Gather<T>(T[] dictionary, int[] indexes, Span<T> target)
    {
        for (var i = 0; i < indexes.Length; i++)
        {
            target[i] = dictionary[indexes[i]];
        }
    }
}
