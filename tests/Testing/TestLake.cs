using System.Text.Json.Nodes;

namespace Streams.Testing;

/// <summary>
/// A lake written by independent implementations: DuckDB generates the rows and writes them as a
/// hive-partitioned Parquet table (<c>dt=YYYY-MM-DD/</c>, small row groups) and as JSON lines, and
/// python3-avro turns each partition's JSON lines into an Avro container file with decimal and
/// timestamp-micros logical types. References are DuckDB's own SQL over the Parquet files.
/// </summary>
public sealed class TestLake : IDisposable
{
    /// <summary>The columns of the test rows, as DuckDB's SELECT over <c>range(n) t(i)</c> makes them.</summary>
    private const string Columns = """
        i AS id,
        'c' || (i % 5) AS customer,
        CASE WHEN i % 11 = 0 THEN NULL ELSE CAST((i % 1000) / 100.0 + 0.25 AS DECIMAL(10,2)) END AS amount,
        CAST(i % 4 AS INTEGER) AS qty,
        CASE WHEN i % 3 = 0 THEN NULL ELSE 'n' || (i % 17) END AS note,
        TIMESTAMPTZ '2026-11-01 00:00:00+00' + to_seconds(i * 61) AS ts
        """;

    private const string AvroScript = """
        import json, sys, datetime, decimal, os
        import avro.schema
        from avro.datafile import DataFileWriter
        from avro.io import DatumWriter
        schema = avro.schema.parse(json.dumps({"type": "record", "name": "order", "namespace": "test", "fields": [
            {"name": "id", "type": "long"},
            {"name": "customer", "type": "string"},
            {"name": "amount", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}]},
            {"name": "qty", "type": "int"},
            {"name": "note", "type": ["null", "string"]},
            {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}}]}))
        source, root, name = sys.argv[1:4]
        writers = {}
        for line in open(source):
            r = json.loads(line)
            if r["dt"] not in writers:
                folder = os.path.join(root, "dt=" + r["dt"])
                os.makedirs(folder, exist_ok=True)
                writers[r["dt"]] = DataFileWriter(open(os.path.join(folder, name + ".avro"), "wb"), DatumWriter(), schema, codec="deflate")
            writers[r["dt"]].append({"id": r["id"], "customer": r["customer"],
                           "amount": None if r["amount"] is None else decimal.Decimal(str(r["amount"])).quantize(decimal.Decimal("0.01")),
                           "qty": r["qty"], "note": r["note"],
                           "ts": datetime.datetime.fromisoformat(r["ts"].replace(" ", "T")).astimezone(datetime.timezone.utc)})
        for writer in writers.values():
            writer.close()
        """;

    private TestLake(string root) => Root = root;

    /// <summary>The lake root (a temporary directory).</summary>
    public string Root { get; }

    /// <summary>The Parquet table's folder under <see cref="Root"/>.</summary>
    public const string ParquetTable = "orders_parquet";

    /// <summary>The Avro table's folder under <see cref="Root"/>.</summary>
    public const string AvroTable = "orders_avro";

    /// <summary>The test rows' DuckDB SELECT for ids <paramref name="from"/>..<paramref name="to"/> (exclusive).</summary>
    public static string Select(long from, long to) =>
        $"SELECT *, strftime(ts, '%Y-%m-%d') AS dt FROM (SELECT {Columns} FROM range({from}, {to}) t(i))";

    /// <summary>Writes rows <c>0..rows</c> as both tables.</summary>
    public static async Task<TestLake> CreateAsync(long rows)
    {
        var lake = new TestLake(Directory.CreateTempSubdirectory("streams-batch-lake-").FullName);
        await lake.AddAsync(0, rows, "part-0");
        return lake;
    }

    /// <summary>Adds rows <paramref name="from"/>..<paramref name="to"/> as files named <paramref name="name"/> in each of their partitions, in both tables.</summary>
    public async Task AddAsync(long from, long to, string name)
    {
        var staging = Path.Combine(Root, "_staging", name);
        Directory.CreateDirectory(staging);
        await DuckDb.QueryAsync(
            $"COPY ({Select(from, to)}) TO {DuckDb.Literal(staging + "/parquet")} (FORMAT PARQUET, PARTITION_BY (dt), ROW_GROUP_SIZE 2048, FILENAME_PATTERN '{name}')",
            $"COPY ({Select(from, to)}) TO {DuckDb.Literal(staging + "/rows.jsonl")} (FORMAT JSON)",
            "SELECT 1");
        foreach (var partition in Directory.GetDirectories(Path.Combine(staging, "parquet")))
        {
            var target = Path.Combine(Root, ParquetTable, Path.GetFileName(partition));
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(partition))
            {
                File.Move(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            }
        }

        await ExternalTool.RunAsync(ExternalTool.Python, ["-c", AvroScript, Path.Combine(staging, "rows.jsonl"), Path.Combine(Root, AvroTable), name]);
        Directory.Delete(Path.Combine(Root, "_staging"), recursive: true);
    }

    /// <summary>DuckDB's answer to <paramref name="select"/> over the Parquet table, which it sees as <c>orders</c> (with the <c>dt</c> partition column).</summary>
    public Task<JsonArray> QueryAsync(string select) => DuckDb.QueryAsync(
        $"CREATE VIEW orders AS SELECT * FROM read_parquet({DuckDb.Literal(Path.Combine(Root, ParquetTable) + "/*/*.parquet")}, hive_partitioning = true)",
        select);

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
