namespace Streams.Registry;

/// <summary>A subject and one of its versions.</summary>
public sealed record SubjectVersion(string Subject, int Version);
