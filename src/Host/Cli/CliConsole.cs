using Spectre.Console;

namespace Streams.Host.Cli;

/// <summary>
/// The one place that decides how commands write tables, markup and progress: Spectre's own console on a
/// terminal (it leaves colour out under <c>NO_COLOR</c>); when the stream is redirected, a console with no
/// colour, cursor or other escape codes, no progress animation, and no wrapping at a terminal width (tables are
/// as wide as their content), so that a pipe or a log file gets plain full lines.
/// </summary>
internal static class CliConsole
{
    /// <summary>How wide a redirected console lays tables out: wide enough that no table or line wraps.</summary>
    private const int UnwrappedWidth = 32_767;

    private static readonly Lazy<IAnsiConsole> PlainOutput = new(() => Plain(Console.Out));

    private static readonly Lazy<IAnsiConsole> PlainError = new(() => Plain(Console.Error));

    private static readonly Lazy<IAnsiConsole> TerminalError = new(() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    }));

    /// <summary>The console for standard output.</summary>
    public static IAnsiConsole Output => Console.IsOutputRedirected ? PlainOutput.Value : AnsiConsole.Console;

    /// <summary>The console for standard error (progress lines, rejected records).</summary>
    public static IAnsiConsole Error => Console.IsErrorRedirected ? PlainError.Value : TerminalError.Value;

    /// <summary>Whether standard output is a terminal that can animate a progress bar.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static IAnsiConsole Plain(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = UnwrappedWidth;
        return console;
    }
}
