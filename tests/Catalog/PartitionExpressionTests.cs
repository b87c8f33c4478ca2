using Streams.Catalog.Model;
using Streams.Catalog.Store;

namespace Streams.Catalog.Tests;

public sealed class PartitionExpressionTests
{
    private static readonly List<Column> Keys =
    [
        new() { Name = "year", Type = "string" },
        new() { Name = "month", Type = "int" },
        new() { Name = "day", Type = "date" },
    ];

    [Theory]
    [InlineData("year='2024' AND month>'03'", "2024", "11", "2024-11-02", true)]
    [InlineData("year='2024' AND month>'03'", "2024", "3", "2024-03-02", false)]
    [InlineData("month BETWEEN 2 AND 4", "2023", "04", "2023-04-01", true)]
    [InlineData("month NOT IN (1, 2, 3)", "2023", "2", "2023-02-01", false)]
    [InlineData("day < '2024-01-10' OR year LIKE '20_5'", "2025", "1", "2025-01-11", true)]
    [InlineData("NOT (year = '2024') AND day >= '2023-12-31'", "2023", "12", "2023-12-31", true)]
    [InlineData("year <> '2024'", "2024", "1", "2024-01-01", false)]
    public void Evaluates_typed_comparisons(string expression, string year, string month, string day, bool expected) =>
        PartitionExpression.Parse(expression, Keys).Matches([year, month, day]).Should().Be(expected);

    [Theory]
    [InlineData("month = 'march'", "'march' is not a valid integer value")]
    [InlineData("week = 1", "'week' is not a partition key")]
    [InlineData("year = '2024' AND", "expected a partition key at the end")]
    [InlineData("(year = '2024'", "expected ')'")]
    [InlineData("year = '2024", "unterminated")]
    public void Malformed_expressions_are_invalid_input(string expression, string message)
    {
        var act = () => PartitionExpression.Parse(expression, Keys);
        act.Should().Throw<InvalidInputException>().Which.Message.Should().Contain(message);
    }
}
