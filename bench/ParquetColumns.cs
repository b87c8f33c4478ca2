using System.Globalization;
using System.Text;
using Streams.Formats.Parquet;
using Streams.Formats.Parquet.Columns;
using Net = Parquet;
using NetSchema = Parquet.Schema;

namespace Streams.Benchmarks;

/// <summary>
/// The parquet benchmark's table as CLR column arrays (what a sink holding columns has), and the two columnar
/// writers fed from them: Streams' <see cref="ParquetWriter.WriteRowGroupAsync"/> and Parquet.Net's row group
/// writer. Each timer covers the same work: converting the arrays (UTF-8, timestamps to micros, nulls to
/// levels), encoding, compressing and writing the file.
/// </summary>
internal sealed class ParquetColumns
{
    private static readonly string[] Categories = Enumerable.Range(0, 12).Select(i => $"category-{i}").ToArray();

    public required long[] Id { get; init; }
    public required int[] Qty { get; init; }
    public required double[] Price { get; init; }
    public required double[] Ratio { get; init; }
    public required long[] Code { get; init; }
    public required string[] Name { get; init; }
    public required string[] Category { get; init; }
    public required DateTime[] Created { get; init; }
    public required DateTime[] Updated { get; init; }
    public required double?[] Discount { get; init; }
    public required bool[] Flag { get; init; }
    public required float[] Score { get; init; }

    public int Count => Id.Length;

    /// <summary>Rows <paramref name="start"/>.. of the table, the same values as the record path's rows.</summary>
    public static ParquetColumns Generate(long start, int count)
    {
        var c = new ParquetColumns
        {
            Id = new long[count], Qty = new int[count], Price = new double[count], Ratio = new double[count], Code = new long[count],
            Name = new string[count], Category = new string[count], Created = new DateTime[count], Updated = new DateTime[count],
            Discount = new double?[count], Flag = new bool[count], Score = new float[count],
        };
        for (var k = 0; k < count; k++)
        {
            var i = start + k;
            c.Id[k] = i;
            c.Qty[k] = (int)(i * 7919 % 1000);
            c.Price[k] = i % 10000 / 100.0;
            c.Ratio[k] = i * 0.000123;
            c.Code[k] = i * 2654435761 % 1000000007;
            c.Name[k] = "name-" + i.ToString(CultureInfo.InvariantCulture);
            c.Category[k] = Categories[i % 12];
            c.Created[k] = DateTime.UnixEpoch.AddTicks((1700000000000000 + i * 1000000) * 10);
            c.Updated[k] = DateTime.UnixEpoch.AddTicks((1700000000000000 + i * 1000) * 10);
            c.Discount[k] = i % 7 == 0 ? null : i % 100 * 0.5;
            c.Flag[k] = i % 3 == 0;
            c.Score[k] = (float)(i % 1000 / 8.0);
        }

        return c;
    }

    /// <summary>Fills Streams' buffers (in the writer's column order) from the arrays.</summary>
    public void Fill(ColumnBuffer[] buffers)
    {
        foreach (var b in buffers)
        {
            b.Clear();
        }

        var n = Count;
        buffers[0].AddValues<long>(Id); buffers[0].AddEntries(n);
        buffers[1].AddValues<int>(Qty); buffers[1].AddEntries(n);
        buffers[2].AddValues<double>(Price); buffers[2].AddEntries(n);
        buffers[3].AddValues<double>(Ratio); buffers[3].AddEntries(n);
        buffers[4].AddValues<long>(Code); buffers[4].AddEntries(n);
        AddStrings(buffers[5], Name);
        AddStrings(buffers[6], Category);
        AddMicros(buffers[7], Created);
        AddMicros(buffers[8], Updated);
        var discount = buffers[9].ReserveValues<double>(n);
        var levels = new byte[n];
        var present = 0;
        for (var k = 0; k < n; k++)
        {
            if (Discount[k] is { } d)
            {
                discount[present++] = d;
                levels[k] = 1;
            }
        }

        buffers[9].CommitValues(present);
        buffers[9].AddEntries(n, levels);
        buffers[10].AddValues<bool>(Flag); buffers[10].AddEntries(n);
        buffers[11].AddValues<float>(Score); buffers[11].AddEntries(n);
    }

    private static void AddStrings(ColumnBuffer buffer, string[] values)
    {
        foreach (var value in values)
        {
            var span = buffer.ReserveBytes(Encoding.UTF8.GetMaxByteCount(value.Length));
            buffer.CommitBytes(Encoding.UTF8.GetBytes(value, span));
        }

        buffer.AddEntries(values.Length);
    }

    private static void AddMicros(ColumnBuffer buffer, DateTime[] values)
    {
        var micros = buffer.ReserveValues<long>(values.Length);
        for (var k = 0; k < values.Length; k++)
        {
            micros[k] = (values[k].Ticks - DateTime.UnixEpoch.Ticks) / 10;
        }

        buffer.CommitValues(values.Length);
        buffer.AddEntries(values.Length);
    }

    /// <summary>Parquet.Net's schema of the table: the same physical types and repetition as Streams writes.</summary>
    public static NetSchema.ParquetSchema NetSchemaOf() => new(
        new NetSchema.DataField<long>("id"), new NetSchema.DataField<int>("qty"), new NetSchema.DataField<double>("price"),
        new NetSchema.DataField<double>("ratio"), new NetSchema.DataField<long>("code"),
        new NetSchema.DataField<string>("name", false), new NetSchema.DataField<string>("category", false),
        new NetSchema.DateTimeDataField("created", NetSchema.DateTimeFormat.DateAndTimeMicros, true, null, false),
        new NetSchema.DateTimeDataField("updated", NetSchema.DateTimeFormat.DateAndTimeMicros, true, null, false),
        new NetSchema.DataField<double?>("discount"), new NetSchema.DataField<bool>("flag"), new NetSchema.DataField<float>("score"));

    /// <summary>Writes the arrays as one Parquet.Net row group.</summary>
    public async Task WriteNetAsync(Net.ParquetWriter writer, NetSchema.ParquetSchema schema)
    {
        var f = schema.DataFields;
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<long>(f[0], Id);
        await group.WriteAsync<int>(f[1], Qty);
        await group.WriteAsync<double>(f[2], Price);
        await group.WriteAsync<double>(f[3], Ratio);
        await group.WriteAsync<long>(f[4], Code);
        await group.WriteAsync(f[5], Name);
        await group.WriteAsync(f[6], Category);
        await group.WriteAsync<DateTime>(f[7], Created);
        await group.WriteAsync<DateTime>(f[8], Updated);
        await group.WriteAsync<double>(f[9], (ReadOnlyMemory<double?>)Discount);
        await group.WriteAsync<bool>(f[10], Flag);
        await group.WriteAsync<float>(f[11], Score);
    }
}
