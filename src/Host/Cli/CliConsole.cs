using Spectre.Console;

namespace Streams.Host.Cli;

/// <summary>The console commands write tables to: Spectre's own on a terminal, and one without colour or cursor codes when the output is redirected.</summary>
internal static class CliConsole
{
    private static readonly Lazy<IAnsiConsole> Plain = new(() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
        Out = new AnsiConsoleOutput(Console.Out),
    }));

    /// <summary>The console for standard output.</summary>
    public static IAnsiConsole Output => Console.IsOutputRedirected ? Plain.Value : AnsiConsole.Console;
}
