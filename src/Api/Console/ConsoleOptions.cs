namespace Streams.Api.Console;

/// <summary>How the host serves the console.</summary>
public sealed class ConsoleOptions
{
    /// <summary>The folder of the built console (index.html and assets/); by default <c>console</c> beside the executable.</summary>
    public string StaticRoot { get; init; } = Path.Combine(AppContext.BaseDirectory, "console");

    /// <summary>Where the schema registry is served, which the console's registry page calls.</summary>
    public string RegistryPath { get; init; } = "/registry";

    /// <summary>The host's version, shown in the console's footer.</summary>
    public string Version { get; init; } = "";
}
