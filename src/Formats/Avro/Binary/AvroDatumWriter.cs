using System.Buffers;
using System.Runtime.CompilerServices;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Binary;

/// <summary>
/// Writes values of the record model (docs/record-model.md) in Avro binary encoding with one schema.
/// The schema is compiled once into a tree of delegates, one per schema node, so writing a record costs
/// a type check and a call per value: no reflection, no lookups by field name.
/// </summary>
/// <remarks>Instances are immutable and thread-safe; <see cref="For(Schema)"/> caches one per schema.</remarks>
public sealed class AvroDatumWriter
{
    private static readonly ConditionalWeakTable<Schema, AvroDatumWriter> Cache = new();
    private static readonly ConditionalWeakTable<Schema, AvroDatumWriter> SizedCache = new();

    private readonly ValueWriter _write;

    private AvroDatumWriter(Schema schema, bool sizedBlocks)
    {
        Schema = schema;
        SizedBlocks = sizedBlocks;
        _write = new AvroDatumWriterCompiler(sizedBlocks).Compile(schema, RootPath(schema));
    }

    /// <summary>The schema values are written with.</summary>
    public Schema Schema { get; }

    /// <summary>The compiled writer for <paramref name="schema"/>, built on first use and cached.</summary>
    public static AvroDatumWriter For(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Cache.GetValue(schema, static s => new AvroDatumWriter(s, sizedBlocks: false));
    }

    /// <summary>
    /// The compiled writer for <paramref name="schema"/>; with <paramref name="sizedBlocks"/>, arrays and maps are
    /// written as blocks with a negative count and their byte size (Avro specification, "Complex Types"), which
    /// lets readers skip them without decoding, at the cost of encoding each array or map into a scratch buffer first.
    /// </summary>
    public static AvroDatumWriter For(Schema schema, bool sizedBlocks)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return sizedBlocks ? SizedCache.GetValue(schema, static s => new AvroDatumWriter(s, sizedBlocks: true)) : For(schema);
    }

    /// <summary>True when arrays and maps are written as sized blocks.</summary>
    public bool SizedBlocks { get; }

    /// <summary>Appends the encoding of <paramref name="value"/> to <paramref name="output"/>.</summary>
    /// <exception cref="AvroValueException">The value does not fit the schema; the message names the field path.</exception>
    public void Write(object? value, IBufferWriter<byte> output)
    {
        var writer = new AvroWriter(output);
        _write(ref writer, value);
        writer.Flush();
    }

    /// <summary>Writes <paramref name="value"/> through an existing writer (for callers batching many values).</summary>
    public void Write(ref AvroWriter writer, object? value) => _write(ref writer, value);

    /// <summary>The encoding of <paramref name="value"/> as a new array.</summary>
    public byte[] ToArray(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The path of the root value in error messages: the full name of a named root, else empty (see SchemaPath).</summary>
    internal static string RootPath(Schema schema) => schema is NamedSchema named ? named.FullName : "";

    internal delegate void ValueWriter(ref AvroWriter writer, object? value);
}
