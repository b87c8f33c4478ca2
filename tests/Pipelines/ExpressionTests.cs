using Streams.Formats.Model;
using Streams.Pipelines.Expressions;
using static Streams.Pipelines.Tests.TestRecords;

namespace Streams.Pipelines.Tests;

public sealed class ExpressionTests
{
    private static object? Eval(string expression, GenericRecord? record = null) =>
        ExpressionCompiler.Compile(expression, Order).Evaluate(record ?? NewOrder(1));

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("7 % 4", 3)]
    [InlineData("-quantity + 10", 8)]
    [InlineData("length('héllo')", 5)]
    [InlineData("year(ts) - 2000", 26)]
    [InlineData("hour(ts)", 10)]
    [InlineData("day_of_week(day)", 7)]
    [InlineData("CASE WHEN quantity > 1 THEN 1 ELSE 0 END", 1)]
    [InlineData("CASE quantity WHEN 1 THEN 10 WHEN 2 THEN 20 END", 20)]
    [InlineData("cast('42' as int)", 42)]
    public void Integer_results(string expression, int expected) => Eval(expression).Should().Be(expected);

    [Theory]
    [InlineData("id * 2", 2L)]
    [InlineData("id + quantity", 3L)]
    [InlineData("date_diff('minute', ts, date_add(ts, 90, 'minute'))", 90L)]
    [InlineData("epoch_millis(to_timestamp('1970-01-01T00:00:01Z'))", 1000L)]
    public void Long_results(string expression, long expected) => Eval(expression).Should().Be(expected);

    [Theory]
    [InlineData("price * quantity", 10.5)]
    [InlineData("quantity / 4", 0.5)]
    [InlineData("round(price / 3, 2)", 1.75)]
    [InlineData("price + 1.5e1", 20.25)]
    [InlineData("amount + price", 15.75)]
    public void Double_results(string expression, double expected) => Eval(expression).Should().Be(expected);

    [Fact]
    public void Decimal_arithmetic_stays_exact_with_its_scale()
    {
        var compiled = ExpressionCompiler.Compile("amount * quantity + amount", Order);
        compiled.Kind.Should().Be(ValueKind.Decimal);
        compiled.ResultSchema.NonNullBranch!.LogicalType.Should().Be(LogicalType.Decimal(38, 2));
        compiled.Evaluate(NewOrder(1, amount: 0.10m, quantity: 3)).Should().Be(DecimalValue.Parse("0.40"));
        Eval("cast(price as decimal(6,1))").Should().Be(DecimalValue.Parse("5.3"));
    }

    [Theory]
    [InlineData("status = 'paid' AND quantity >= 2", true)]
    [InlineData("status <> 'paid' OR quantity < 2", false)]
    [InlineData("NOT (price > 5)", false)]
    [InlineData("customer IN ('c0', 'c1')", true)]
    [InlineData("customer NOT IN ('c0', 'c2')", true)]
    [InlineData("quantity BETWEEN 1 AND 2", true)]
    [InlineData("customer LIKE 'c_'", true)]
    [InlineData("customer LIKE 'C%'", false)]
    [InlineData("address.city = 'Oslo'", true)]
    [InlineData("ts >= '2026-03-01T10:00:00Z' AND ts < '2026-03-01 11:00:00Z'", true)]
    [InlineData("day = '2026-03-01'", true)]
    [InlineData("day < ts", true)]
    [InlineData("starts_with(upper(customer), 'C') AND ends_with(customer, '1') AND contains(customer, 'c')", true)]
    [InlineData("regexp_like(customer, '^c[0-9]+$')", true)]
    [InlineData("status IS NOT NULL AND address.zip IS NOT NULL", true)]
    [InlineData("1 = 1.0", true)]
    public void Boolean_results(string expression, bool expected) => Eval(expression).Should().Be(expected);

    [Theory]
    [InlineData("upper(customer) || '-' || id", "C1-1")]
    [InlineData("substring('abcdef', 2, 3)", "bcd")]
    [InlineData("substring('abcdef', 4)", "def")]
    [InlineData("trim('  x ') || ltrim(' y') || rtrim('z ')", "xyz")]
    [InlineData("replace(customer, 'c', 'k')", "k1")]
    [InlineData("regexp_replace('a1b22', '[0-9]+', '#')", "a#b#")]
    [InlineData("concat('a', NULL, 'b', 1)", "ab1")]
    [InlineData("coalesce(status, 'none')", "paid")]
    [InlineData("left('abc', 2) || right('abc', 1)", "abc")]
    [InlineData("cast(amount as string)", "10.50")]
    [InlineData("cast(day as string)", "2026-03-01")]
    [InlineData("CASE WHEN price > 100 THEN 'big' WHEN price > 5 THEN 'mid' ELSE 'small' END", "mid")]
    public void String_results(string expression, string expected) => Eval(expression).Should().Be(expected);

    [Fact]
    public void Dates_and_timestamps()
    {
        Eval("date_trunc('hour', date_add(ts, 75, 'minute'))").Should().Be(At(60));
        Eval("date_trunc('month', day)").Should().Be(new DateOnly(2026, 3, 1));
        Eval("date_add(day, 1, 'month')").Should().Be(new DateOnly(2026, 4, 1));
        Eval("to_date(ts)").Should().Be(new DateOnly(2026, 3, 1));
        Eval("to_timestamp('01/03/2026 12:30', 'dd/MM/yyyy HH:mm')").Should().Be(new DateTime(2026, 3, 1, 12, 30, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void Null_handling_follows_sql_three_valued_logic()
    {
        var noStatus = NewOrder(1, status: null, city: null);
        Eval("status = 'paid'", noStatus).Should().BeNull();
        Eval("status = 'paid' AND false", noStatus).Should().Be(false);
        Eval("status = 'paid' OR true", noStatus).Should().Be(true);
        Eval("status = 'paid' OR false", noStatus).Should().BeNull();
        Eval("status IS NULL", noStatus).Should().Be(true);
        Eval("status || 'x'", noStatus).Should().BeNull();
        Eval("coalesce(status, address.city, 'unknown')", noStatus).Should().Be("unknown");
        Eval("nullif(customer, 'c1')").Should().BeNull();
        Eval("customer IN ('x', status)", noStatus).Should().BeNull();
        Eval("1 / 0").Should().BeNull();
        Eval("address.city", noStatus).Should().BeNull();
        Eval("NULL + 1").Should().BeNull();
    }

    [Fact]
    public void Bad_values_fail_the_record_not_the_compile()
    {
        var compiled = ExpressionCompiler.Compile("cast(customer as int)", Order, "n");
        compiled.Invoking(c => c.Evaluate(NewOrder(1))).Should().Throw<ExpressionEvaluationException>()
            .WithMessage("Expression 'cast(customer as int)' failed: Cannot cast \"c1\" (String) to int*");
        ExpressionCompiler.Compile("quantity * 2000000000", Order).Invoking(c => c.Evaluate(NewOrder(1)))
            .Should().Throw<ExpressionEvaluationException>().WithMessage("*overflow*");
    }

    [Theory]
    [InlineData("price * 'x'", 7, "Operator '*' cannot be applied to double and string")]
    [InlineData("amount + + ", 12, "Expected a value but the expression ended")]
    [InlineData("missing > 1", 1, "Unknown field 'missing'; the input has fields id, customer, amount*")]
    [InlineData("address.country = 'NO'", 1, "Unknown field 'address.country'; 'address' has fields city, zip")]
    [InlineData("customer.name", 1, "'customer' is string, not a record*")]
    [InlineData("upper(quantity)", 7, "Argument 1 of 'upper' must be string but is int")]
    [InlineData("frobnicate(1)", 1, "Unknown function 'frobnicate'*")]
    [InlineData("status = 'paid", 10, "Unterminated string literal")]
    [InlineData("price > 1 price", 11, "Unexpected 'price' after a complete expression")]
    [InlineData("CASE WHEN price THEN 1 END", 11, "WHEN needs a boolean operand but found double")]
    [InlineData("cast('x' as int)", 1, "Cannot cast \"x\" (String) to int*")]
    [InlineData("ts < 1", 4, "Cannot compare (<) timestamp and int")]
    [InlineData("cast(price as money)", 15, "Unknown type 'money'*")]
    [InlineData("quantity # 2", 10, "Unexpected character '#'")]
    public void Errors_name_expression_column_and_position(string expression, int position, string detail)
    {
        var act = () => ExpressionCompiler.Compile(expression, Order, "total");
        var error = act.Should().Throw<ExpressionException>().Which;
        error.Position.Should().Be(position);
        error.Expression.Should().Be(expression);
        error.Detail.Should().Match(detail);
        error.Message.Should().Contain($"at position {position} in expression '{expression}'");
        error.Message.Should().Contain("(column 'total')", "the column is the one the expression defines, never the field it names");
    }

    [Fact]
    public void Predicate_must_be_boolean()
    {
        var act = () => ExpressionCompiler.CompilePredicate("price + 1", Order, "filter");
        act.Should().Throw<ExpressionException>().WithMessage("A condition must be boolean but this expression is double at position 1 in expression 'price + 1' (column 'filter').");
    }

    [Fact]
    public void Compiled_once_evaluates_many_records_by_position()
    {
        var compiled = ExpressionCompiler.Compile("quantity * 10 + id", Order);
        Enumerable.Range(0, 100).Select(i => compiled.Evaluate(NewOrder(i, quantity: i))).Should().Equal(Enumerable.Range(0, 100).Select(i => (object)(i * 11L)));
    }
}
