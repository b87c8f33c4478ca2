using System.Text;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Files;

/// <summary>
/// The header of an Avro object container file: the magic <c>Obj\x01</c>, the metadata map (with
/// <c>avro.schema</c> and <c>avro.codec</c>) and the 16-byte sync marker that ends every block.
/// </summary>
/// <param name="Schema">The writer schema, parsed from <c>avro.schema</c>.</param>
/// <param name="Codec">The block codec named by <c>avro.codec</c> (absent means <c>null</c>).</param>
/// <param name="Metadata">Every metadata entry, including <c>avro.schema</c> and <c>avro.codec</c>.</param>
/// <param name="SyncMarker">The 16-byte sync marker.</param>
/// <param name="Length">The header's length in bytes: the offset of the first block.</param>
public sealed record AvroFileHeader(
    Schema Schema, AvroCodec Codec, IReadOnlyDictionary<string, byte[]> Metadata, byte[] SyncMarker, long Length)
{
    /// <summary>The four magic bytes every container file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "Obj\u0001"u8;

    /// <summary>The length of the sync marker.</summary>
    public const int SyncSize = 16;

    /// <summary>The metadata key of the writer schema.</summary>
    public const string SchemaKey = "avro.schema";

    /// <summary>The metadata key of the codec.</summary>
    public const string CodecKey = "avro.codec";

    /// <summary>The writer schema's JSON as stored in the file.</summary>
    public string SchemaJson => Encoding.UTF8.GetString(Metadata[SchemaKey]);

    /// <summary>
    /// Parses a header from the start of <paramref name="data"/>. Returns <c>null</c> when the data ends before
    /// the header does (the caller reads more), and throws <see cref="AvroFileException"/> when it is invalid.
    /// </summary>
    internal static AvroFileHeader? TryParse(ReadOnlySpan<byte> data, bool atEndOfFile, string? fileName)
    {
        if (data.Length < Magic.Length)
        {
            return atEndOfFile ? throw Bad($"the file is {data.Length} bytes long, too short for an Avro header", 0) : null;
        }

        if (!data[..Magic.Length].SequenceEqual(Magic))
        {
            throw Bad($"not an Avro object container file (starts with 0x{Convert.ToHexString(data[..4])}, expected 'Obj' 0x01)", 0);
        }

        var reader = new AvroReader(data[Magic.Length..], Magic.Length);
        var metadata = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            while (true)
            {
                var count = reader.ReadBlockCount(out _);
                if (count == 0)
                {
                    break;
                }

                for (var i = 0L; i < count; i++)
                {
                    var key = reader.ReadString();
                    metadata[key] = reader.ReadBytes();
                }
            }

            var sync = reader.ReadFixed(SyncSize).ToArray();
            var length = Magic.Length + reader.Position;
            return Build(metadata, sync, length, fileName);
        }
        catch (AvroDataException e) when (e.IsTruncation)
        {
            return atEndOfFile ? throw Bad($"the header is truncated: {e.Message}", e.Offset, e) : null;
        }
        catch (AvroDataException e)
        {
            throw Bad($"the header metadata is malformed: {e.Message}", e.Offset, e);
        }

        AvroFileException Bad(string reason, long offset, Exception? inner = null) => new(reason, fileName, -1, offset, inner);
    }

    private static AvroFileHeader Build(Dictionary<string, byte[]> metadata, byte[] sync, long length, string? fileName)
    {
        if (!metadata.TryGetValue(SchemaKey, out var schemaBytes))
        {
            throw new AvroFileException("the header has no avro.schema metadata", fileName, -1, 0);
        }

        Schema schema;
        try
        {
            schema = AvroSchemaParser.Parse(Encoding.UTF8.GetString(schemaBytes));
        }
        catch (Exception e) when (e is SchemaException or System.Text.Json.JsonException or DecoderFallbackException)
        {
            throw new AvroFileException($"the avro.schema metadata is not a valid schema: {e.Message}", fileName, -1, 0, e);
        }

        var codecName = metadata.TryGetValue(CodecKey, out var codecBytes) ? Encoding.UTF8.GetString(codecBytes) : "null";
        var codec = AvroCodec.FromName(codecName) ?? throw new AvroFileException(
            $"the codec '{codecName}' is not supported (supported: {string.Join(", ", AvroCodec.SupportedNames)})", fileName, -1, 0);
        return new AvroFileHeader(schema, codec, metadata, sync, length);
    }

    /// <summary>Encodes a header for <paramref name="schemaJson"/>, <paramref name="codec"/> and extra metadata.</summary>
    internal static void Write(ByteBuffer output, string schemaJson, AvroCodec codec, byte[] sync,
        IReadOnlyDictionary<string, byte[]>? extraMetadata)
    {
        output.Write(Magic);
        var writer = new AvroWriter(output);
        var entries = new List<KeyValuePair<string, byte[]>>
        {
            new(SchemaKey, Encoding.UTF8.GetBytes(schemaJson)),
            new(CodecKey, Encoding.UTF8.GetBytes(codec.Name)),
        };
        foreach (var (key, value) in extraMetadata ?? new Dictionary<string, byte[]>())
        {
            if (key.StartsWith("avro.", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Metadata key '{key}' is reserved: keys starting with 'avro.' belong to Avro.", nameof(extraMetadata));
            }

            entries.Add(new(key, value));
        }

        writer.WriteLong(entries.Count);
        foreach (var (key, value) in entries)
        {
            writer.WriteString(key);
            writer.WriteBytes(value);
        }

        writer.WriteLong(0);
        writer.WriteFixed(sync);
        writer.Flush();
    }
}
