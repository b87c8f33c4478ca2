using Streams.Pipelines.Values;

namespace Streams.Pipelines.Transforms;

/// <summary>One mapping of <see cref="ApplyMappingTransform"/>.</summary>
/// <param name="From">The source field path (dots reach into nested records).</param>
/// <param name="To">The target field path; dots nest the value into records created for it.</param>
/// <param name="Type">The target type name (<see cref="SchemaTypeNames"/>), or null to keep the source type.</param>
public sealed record FieldMapping(string From, string To, string? Type = null);
