using Streams.Catalog.Model;

namespace Streams.Catalog.Crawlers;

/// <summary>The Hive input format, output format and SerDe a crawled table gets for its classification.</summary>
public static class FileFormats
{
    /// <summary>The storage descriptor parts for <paramref name="classification"/> with the classifier's parameters.</summary>
    public static (string InputFormat, string OutputFormat, SerDeInfo SerDe) For(string classification,
        IReadOnlyDictionary<string, string> parameters) => classification switch
    {
        "csv" => ("org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            new SerDeInfo
            {
                SerializationLibrary = "org.apache.hadoop.hive.serde2.OpenCSVSerde",
                Parameters = new Dictionary<string, string>
                {
                    ["separatorChar"] = parameters.GetValueOrDefault("delimiter", ","),
                    ["quoteChar"] = parameters.GetValueOrDefault("quoteChar", "\""),
                },
            }),
        "json" => ("org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            new SerDeInfo
            {
                SerializationLibrary = "org.openx.data.jsonserde.JsonSerDe",
                Parameters = parameters.TryGetValue("jsonPath", out var path) ? new() { ["paths"] = path } : [],
            }),
        "avro" => ("org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat", "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
            new SerDeInfo { SerializationLibrary = "org.apache.hadoop.hive.serde2.avro.AvroSerDe", Parameters = [] }),
        "parquet" => ("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            new SerDeInfo { SerializationLibrary = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", Parameters = [] }),
        _ => ("", "", new SerDeInfo { Parameters = [] }),
    };
}
