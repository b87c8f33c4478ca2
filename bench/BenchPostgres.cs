using Streams.Testing;

namespace Streams.Benchmarks;

/// <summary>
/// The PostgreSQL server benchmarks create their throwaway databases on: <c>STREAMS_BENCH_POSTGRES</c>,
/// else the test cluster's <c>STREAMS_TEST_POSTGRES</c>. Databases come from <see cref="TestPostgres"/>,
/// which drops them on dispose.
/// </summary>
internal static class BenchPostgres
{
    /// <summary>The benchmarks' own variable, which wins over the test cluster's.</summary>
    public const string Variable = "STREAMS_BENCH_POSTGRES";

    /// <summary>Points <see cref="TestPostgres"/> at the server; false, after printing the fix, when none is named.</summary>
    public static bool TryConfigure(string benchmark)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } own)
        {
            Environment.SetEnvironmentVariable(TestPostgres.Variable, own);
            return true;
        }

        if (Environment.GetEnvironmentVariable(TestPostgres.Variable) is { Length: > 0 })
        {
            return true;
        }

        Console.Error.WriteLine(
            $"The {benchmark} benchmark needs a PostgreSQL server where it may create a throwaway database: set {Variable} " +
            $"(or {TestPostgres.Variable}) to its Npgsql connection string, e.g. " +
            $"export {Variable}='Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres', or the postgres line `streams dev` prints.");
        return false;
    }
}
