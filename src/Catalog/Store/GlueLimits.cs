using System.Globalization;
using Streams.Catalog.Model;

namespace Streams.Catalog.Store;

/// <summary>
/// The length and character limits the AWS Glue API reference documents for the members of its inputs, checked
/// before anything is stored. Single-line strings are Glue's <c>[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*</c>;
/// multi-line strings also allow <c>\r</c> and <c>\n</c>. So no control character (NUL included) and no lone surrogate.
/// </summary>
internal static class GlueLimits
{
    /// <summary>Descriptions of databases, tables, crawlers and connections.</summary>
    public const int Description = 2048;

    /// <summary>Names (entities, columns, parameter keys, SerDe names), owners and table types.</summary>
    public const int Name = 255;

    /// <summary>Parameter values.</summary>
    public const int ParameterValue = 512_000;

    /// <summary>A column comment.</summary>
    public const int Comment = 255;

    /// <summary>A column type.</summary>
    public const int ColumnType = 131_072;

    /// <summary>A database's <c>LocationUri</c>.</summary>
    public const int DatabaseLocation = 1024;

    /// <summary>A storage descriptor's <c>Location</c>.</summary>
    public const int StorageLocation = 2056;

    /// <summary>Input and output format class names.</summary>
    public const int FormatClass = 128;

    /// <summary>One partition value.</summary>
    public const int PartitionValue = 1024;

    /// <summary>A crawler's <c>TablePrefix</c>.</summary>
    public const int TablePrefix = 128;

    /// <summary>A connection property value.</summary>
    public const int ConnectionProperty = 1024;

    public static void Check(DatabaseInput input)
    {
        var at = $"Database {input.Name}";
        MultiLine(input.Description, $"{at}: Description", Description);
        MultiLine(input.LocationUri, $"{at}: LocationUri", DatabaseLocation);
        Parameters(input.Parameters, at);
    }

    public static void Check(TableInput input)
    {
        var at = $"Table {input.Name}";
        MultiLine(input.Description, $"{at}: Description", Description);
        SingleLine(input.Owner, $"{at}: Owner", Name);
        SingleLine(input.TableType, $"{at}: TableType", Name);
        if (input.Retention < 0)
        {
            throw new InvalidInputException($"{at}: Retention must be 0 or more, got {input.Retention}.");
        }

        Parameters(input.Parameters, at);
        Columns(input.PartitionKeys, $"{at}: PartitionKeys");
        Storage(input.StorageDescriptor, at);
    }

    public static void Check(PartitionInput input, string table)
    {
        var at = $"Partition of table {table}";
        foreach (var value in input.Values ?? [])
        {
            MultiLine(value, $"{at}: a value", PartitionValue);
        }

        Parameters(input.Parameters, at);
        Storage(input.StorageDescriptor, at);
    }

    public static void Check(CrawlerInput input)
    {
        var at = $"Crawler {input.Name}";
        MultiLine(input.Description, $"{at}: Description", Description);
        SingleLine(input.TablePrefix, $"{at}: TablePrefix", TablePrefix);
        SingleLine(input.Role, $"{at}: Role", int.MaxValue);
        MultiLine(input.Configuration, $"{at}: Configuration", int.MaxValue);
        foreach (var path in (input.Targets?.S3Targets ?? []).Select(t => t.Path)
                     .Concat((input.Targets?.JdbcTargets ?? []).Select(t => t.Path))
                     .Concat((input.Targets?.KafkaTargets ?? []).SelectMany(t => t.Topics ?? [])))
        {
            SingleLine(path, $"{at}: a target path or topic", int.MaxValue);
        }

        foreach (var classifier in input.Classifiers ?? [])
        {
            SingleLine(classifier, $"{at}: a classifier name", Name);
        }
    }

    public static void Check(ConnectionInput input)
    {
        var at = $"Connection {input.Name}";
        MultiLine(input.Description, $"{at}: Description", Description);
        foreach (var (key, value) in input.ConnectionProperties ?? [])
        {
            SingleLine(key, $"{at}: a ConnectionProperties key", Name);
            MultiLine(value, $"{at}: ConnectionProperties[{key}]", ConnectionProperty);
        }
    }

    private static void Storage(StorageDescriptor? storage, string at)
    {
        if (storage is null)
        {
            return;
        }

        MultiLine(storage.Location, $"{at}: StorageDescriptor.Location", StorageLocation);
        MultiLine(storage.InputFormat, $"{at}: StorageDescriptor.InputFormat", FormatClass);
        MultiLine(storage.OutputFormat, $"{at}: StorageDescriptor.OutputFormat", FormatClass);
        if (storage.NumberOfBuckets < -1)
        {
            // Glue and Hive use -1 for "not bucketed".
            throw new InvalidInputException($"{at}: StorageDescriptor.NumberOfBuckets must be -1 or more, got {storage.NumberOfBuckets}.");
        }

        Parameters(storage.Parameters, $"{at}: StorageDescriptor");
        Columns(storage.Columns, $"{at}: StorageDescriptor.Columns");
        foreach (var column in storage.BucketColumns ?? [])
        {
            SingleLine(column, $"{at}: StorageDescriptor.BucketColumns", Name);
        }

        if (storage.SerdeInfo is { } serde)
        {
            SingleLine(serde.Name, $"{at}: SerdeInfo.Name", Name);
            SingleLine(serde.SerializationLibrary, $"{at}: SerdeInfo.SerializationLibrary", Name);
            Parameters(serde.Parameters, $"{at}: SerdeInfo");
        }
    }

    private static void Columns(List<Column>? columns, string at)
    {
        foreach (var column in columns ?? [])
        {
            var what = $"{at}, column '{column.Name}'";
            SingleLine(column.Name, $"{at}: a column name", Name);
            MultiLine(column.Type, $"{what}: Type", ColumnType);
            MultiLine(column.Comment, $"{what}: Comment", Comment);
            Parameters(column.Parameters, what);
        }
    }

    private static void Parameters(Dictionary<string, string>? parameters, string at)
    {
        foreach (var (key, value) in parameters ?? [])
        {
            if (key.Length == 0)
            {
                throw new InvalidInputException($"{at}: a Parameters key is empty.");
            }

            SingleLine(key, $"{at}: a Parameters key", Name);
            MultiLine(value, $"{at}: Parameters[{key}]", ParameterValue);
        }
    }

    private static void SingleLine(string? value, string what, int max) => Text(value, what, max, lineBreaks: false);

    private static void MultiLine(string? value, string what, int max) => Text(value, what, max, lineBreaks: true);

    private static void Text(string? value, string what, int max, bool lineBreaks)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > max)
        {
            throw new InvalidInputException(
                $"{what} has {value.Length.ToString("N0", CultureInfo.InvariantCulture)} characters; Glue allows at most {max.ToString("N0", CultureInfo.InvariantCulture)}.");
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var allowed = c switch
            {
                '\t' => true,
                '\r' or '\n' => lineBreaks,
                < '\u0020' => false,
                '\uFFFE' or '\uFFFF' => false,
                _ when char.IsHighSurrogate(c) => i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) && ++i > 0,
                _ when char.IsLowSurrogate(c) => false,
                _ => true,
            };
            if (!allowed)
            {
                throw new InvalidInputException(
                    $"{what} contains U+{(int)value[i]:X4} at position {i}; Glue allows printable characters and tabs"
                    + (lineBreaks ? " and line breaks." : " (no line breaks)."));
            }
        }
    }
}
