
namespace Streams.Benchmarks;

/// <summary>
/// Runs one named benchmark: <c>dotnet run -c Release --project bench -- NAME [options]</c>.
/// Each benchmark measures Streams beside a reference implementation in the same run and prints ratios.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var benchmarks = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .ToDictionary(b => b.Name, StringComparer.OrdinalIgnoreCase);
        if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench -- <benchmark> [options]");
            foreach (var b in benchmarks.Values.OrderBy(b => b.Name))
            {
                Console.Error.WriteLine($"  {b.Name,-16} {b.Description}");
            }

            return args.Length == 0 ? 0 : 2;
        }

        return await benchmark.RunAsync(args[1..], CancellationToken.None);
    }
}

/// <summary>A benchmark runnable from the harness.</summary>
public interface IBenchmark
{
    /// <summary>The name to run it by.</summary>
    string Name { get; }

    /// <summary>One line saying what it measures and against what reference.</summary>
    string Description { get; }

    /// <summary>Runs it, printing progress and a summary with ratios; returns the exit code.</summary>
    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
