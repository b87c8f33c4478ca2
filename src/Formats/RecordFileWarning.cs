namespace Streams.Formats;

/// <summary>
/// Something a reader noticed about a file that it could read anyway, at a cost the caller should hear about
/// (for instance a stored schema it had to ignore); readers expose these, commands print them on standard error.
/// </summary>
/// <param name="Code">What happened, for callers that react to a particular case.</param>
/// <param name="Message">What happened and what it costs, naming the file.</param>
public sealed record RecordFileWarning(RecordFileWarningCode Code, string Message);
