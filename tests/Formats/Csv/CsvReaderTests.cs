using Streams.Formats.Csv;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Csv;

public sealed class CsvReaderTests
{
    private static List<List<string>> Rows(string text, CsvOptions? options = null)
    {
        using var reader = new CsvReader(new StringReader(text), "test.csv", options);
        var rows = new List<List<string>>();
        var fields = new List<string>();
        while (reader.ReadRow(fields))
        {
            rows.Add([.. fields]);
        }

        return rows;
    }

    [Fact]
    public void Reads_rfc4180_quoting_with_embedded_delimiters_quotes_and_line_breaks()
    {
        var rows = Rows("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n,,\n");
        rows.Should().HaveCount(3);
        rows[1].Should().Equal("x, y", "say \"hi\"", "two\nlines");
        rows[2].Should().Equal("", "", "");
    }

    [Fact]
    public void Honours_another_delimiter_and_quote()
    {
        Rows("a\t'b\tc'\n", CsvOptions.Default with { Delimiter = '\t', Quote = '\'' })
            .Single().Should().Equal("a", "b\tc");
    }

    [Theory]
    [InlineData("a,b\n1,x\"y\n", 2, 2, "A quote inside an unquoted field.")]
    [InlineData("a,b\n1,\"xy\"z\n", 2, 2, "Unexpected 'z' after a closing quote.")]
    [InlineData("a,b\n1,2\n3,\"open\n", 3, 2, "A quoted field starting on row 3 is not closed before the end of the input.")]
    public void Malformed_rows_fail_with_file_row_and_column(string text, int row, int column, string detail)
    {
        var act = () => Rows(text);
        var error = act.Should().Throw<CsvFormatException>().Which;
        error.File.Should().Be("test.csv");
        error.Row.Should().Be(row);
        error.Column.Should().Be(column);
        error.Detail.Should().Be(detail);
        error.Message.Should().StartWith($"test.csv: row {row}, column {column}");
    }

    [Theory]
    [InlineData("a,b\n1,x\"y,more\n3,4\r\n5,6")]
    [InlineData("a,b\r\n1,\"xy\"z,more\r\n3,4\r\n5,6")]
    [InlineData("a,b\r1,x\"y\"\r3,4\r5,6")]
    public void After_a_malformed_row_reading_goes_on_at_the_next_line_and_rows_keep_their_numbers(string text)
    {
        using var reader = new CsvReader(new StringReader(text), "test.csv");
        var fields = new List<string>();
        var read = new List<(long Row, string Fields)>();
        var errors = new List<long>();
        while (true)
        {
            try
            {
                if (!reader.ReadRow(fields))
                {
                    break;
                }

                read.Add((reader.Row, string.Join("|", fields)));
            }
            catch (CsvFormatException e)
            {
                errors.Add(e.Row);
            }
        }

        errors.Should().Equal(2);
        read.Should().Equal((1L, "a|b"), (3L, "3|4"), (4L, "5|6"));
    }

    private static readonly RecordSchema Schema = new(new SchemaName("row", null),
    [
        new Field("id", PrimitiveSchema.Long),
        new Field("price", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(10, 2))),
        new Field("day", UnionSchema.Nullable(new PrimitiveSchema(SchemaType.Int, LogicalType.Date))),
        new Field("ok", PrimitiveSchema.Boolean),
        new Field("name", UnionSchema.Nullable(PrimitiveSchema.String)),
    ]);

    [Fact]
    public void Converts_rows_to_typed_records_matching_columns_by_header_name()
    {
        var text = "name,ok,day,price,id\nann,true,2024-02-29,12.5,9000000000\n,false,,-0.01,1\n";
        using var reader = new CsvRecordReader(new StringReader(text), "typed.csv", Schema);
        var first = reader.Read()!;
        first["id"].Should().Be(9000000000L);
        first["price"].Should().Be(new DecimalValue(1250, 2));
        first["day"].Should().Be(new DateOnly(2024, 2, 29));
        first["ok"].Should().Be(true);
        first["name"].Should().Be("ann");
        var second = reader.Read()!;
        second["name"].Should().BeNull();
        second["day"].Should().BeNull();
        second["price"].Should().Be(new DecimalValue(-1, 2));
        reader.Read().Should().BeNull();
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_file_row_and_column()
    {
        var text = "id,price,day,ok,name\n1,1.00,2024-01-01,true,a\n2,abc,2024-01-01,true,b\n";
        using var reader = new CsvRecordReader(new StringReader(text), "typed.csv", Schema);
        reader.Read();
        var act = () => reader.Read();
        var error = act.Should().Throw<CsvFormatException>().Which;
        error.Row.Should().Be(3);
        error.Column.Should().Be(2);
        error.ColumnName.Should().Be("price");
        error.Message.Should().Be("typed.csv: row 3, column 2 (price): 'abc' is not a valid bytes (decimal).");
    }

    [Fact]
    public void Rows_with_the_wrong_number_of_fields_and_missing_columns_are_errors()
    {
        using (var reader = new CsvRecordReader(new StringReader("id,price,day,ok,name\n1,2\n"), "short.csv", Schema))
        {
            var act = () => reader.Read();
            act.Should().Throw<CsvFormatException>().WithMessage("short.csv: row 2: Expected 5 fields but found 2.");
        }

        using var missing = new CsvRecordReader(new StringReader("price,day\n"), "cols.csv", Schema);
        var read = () => missing.Read();
        read.Should().Throw<CsvFormatException>().WithMessage("*no column 'id'*");
    }

    [Fact]
    public void Without_a_header_columns_map_by_position()
    {
        using var reader = new CsvRecordReader(new StringReader("7,0.10,,false,\n"), "nohead.csv", Schema,
            CsvOptions.Default with { HasHeader = false });
        var record = reader.Read()!;
        record["id"].Should().Be(7L);
        record["ok"].Should().Be(false);
        record["name"].Should().BeNull();
    }
}
