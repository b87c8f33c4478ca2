using System.Runtime.CompilerServices;

// The Avro tests exercise internal plan pieces (skippers) directly.
[assembly: InternalsVisibleTo("Streams.Formats.Tests")]
