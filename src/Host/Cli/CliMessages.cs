namespace Streams.Host.Cli;

/// <summary>An exception's message as a person reads it: without the parameter names .NET appends for programmers.</summary>
internal static class CliMessages
{
    /// <summary>The message of <paramref name="e"/>, with an <see cref="ArgumentException"/>'s <c>(Parameter 'options')</c> suffix dropped.</summary>
    public static string Of(Exception e) => e is ArgumentException { ParamName: { } name } argument
        ? argument.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
        : e.Message;
}
