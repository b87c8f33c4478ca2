using Streams.Formats;
using Streams.Formats.Avro.Files;
using Streams.Formats.Model;

namespace Streams.Catalog.Classifiers;

/// <summary>
/// Avro object container files, recognised by their magic bytes <c>Obj</c> 0x01 (Avro specification,
/// "Object Container Files"). The schema is the writer schema in the header; a file the sample holds whole
/// is also read through to its last block, so that a corrupt block makes it unreadable.
/// </summary>
public sealed class AvroClassifier : IClassifier
{
    /// <summary>The classification name.</summary>
    public const string Format = "avro";

    /// <inheritdoc />
    public string Name => Format;

    /// <inheritdoc />
    public async Task<Classification?> ClassifyAsync(FileSample sample, CancellationToken cancellationToken)
    {
        if (!sample.Head.AsSpan().StartsWith(AvroFileHeader.Magic))
        {
            return null;
        }

        try
        {
            await using var stream = sample.IsComplete ? new MemoryStream(sample.Head, writable: false) : await sample.OpenAsync(cancellationToken);
            await using var reader = await AvroFileReader.OpenAsync(stream, fileName: sample.File.Path, cancellationToken: cancellationToken);
            if (reader.WriterSchema is not RecordSchema schema)
            {
                throw new UnreadableFileException(sample.File.Path,
                    $"the writer schema is {reader.WriterSchema.DisplayName}, not a record, so it cannot be a table.");
            }

            if (sample.IsComplete)
            {
                while (await reader.ReadBlockAsync(cancellationToken) is not null)
                {
                }
            }

            // The codec is per file and does not affect the table, so it is not a parameter (files with different
            // codecs share a table).
            return new Classification(Format, schema, new Dictionary<string, string>(), Name);
        }
        catch (RecordFileException e)
        {
            throw new UnreadableFileException(sample.File.Path, e.Message, e);
        }
        catch (SchemaException e)
        {
            throw new UnreadableFileException(sample.File.Path, $"the header's schema is invalid at {e.Path}: {e.Message}", e);
        }
    }
}
