namespace Streams.Api.Console;

/// <summary>What the console needs to know about its host before it calls anything else.</summary>
/// <param name="Version">The host's version.</param>
/// <param name="RegistryPath">Where the schema registry is served (<c>Streams:Registry:PathBase</c>).</param>
/// <param name="AuthRequired">True when the Glue API and the console's data endpoints verify SigV4 (<c>Streams:Catalog:AccessKeys</c>).</param>
/// <param name="StatusServed">True when the host serves <c>GET /api/status</c>.</param>
/// <param name="JobsServed">True when the Glue API serves jobs (<c>GetJobs</c>).</param>
/// <param name="WorkflowsServed">True when the Glue API serves workflows (<c>GetWorkflow</c>).</param>
public sealed record ConsoleInfo(string Version, string RegistryPath, bool AuthRequired, bool StatusServed, bool JobsServed, bool WorkflowsServed);
