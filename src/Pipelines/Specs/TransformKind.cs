using Streams.Pipelines.Transforms;

namespace Streams.Pipelines.Specs;

/// <summary>A transform kind of the spec: its keyword and how its spec entry becomes transforms (derive gives one per column).</summary>
/// <param name="Name">The keyword, e.g. <c>filter</c>.</param>
/// <param name="Parse">Reads the entry; throws <see cref="PipelineSpecException"/> naming the line.</param>
internal sealed record TransformKind(string Name, Func<TransformSpecText, IReadOnlyList<Transform>> Parse);
