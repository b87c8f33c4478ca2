using Streams.Formats.Model;

namespace Streams.Formats.Avro.Binary;

/// <summary>The messages of values that do not fit the schema being written, shared by the writer's plans.</summary>
internal static class AvroWriteErrors
{
    internal static AvroValueException Mismatch(string path, Schema schema, object? value) =>
        new($"{Capitalize(Describe(value))} is not a value of {schema.DisplayName}.", path);

    internal static AvroValueException NoBranch(string path, UnionSchema schema, object? value) =>
        new($"No branch of {schema.DisplayName} accepts {Describe(value)}.", path);

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Describe(object? value) => value switch
    {
        null => "null",
        GenericRecord r => $"a record of type {r.Schema.FullName}",
        _ => $"{ValueEquality.Format(value)} ({value.GetType().Name})",
    };
}
