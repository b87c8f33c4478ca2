using Streams.Formats.Model;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// A step of a pipeline. <see cref="Bind(RecordSchema)"/> computes the output schema once per input schema and
/// returns a <see cref="BoundTransform"/> that processes batches of that schema.
/// </summary>
public abstract class Transform
{
    /// <summary>The transform's name in messages and dead letters, e.g. <c>transforms[2] (filter)</c>.</summary>
    public string Label { get; set; } = "";

    /// <summary>Where the spec defines the transform, e.g. <c>orders.yaml line 6, column 5, transforms[0]</c>, for messages; empty when built in code.</summary>
    public string Origin { get; set; } = "";

    /// <summary>The spec keyword, e.g. <c>filter</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// Loads what the transform needs from outside (a lookup table's columns) once, before binding, and returns the
    /// transform to bind: this one, or a prepared copy holding what was loaded. A transform of a spec is never changed
    /// by preparing it, so one spec can be run by several runners, each in its own environment.
    /// </summary>
    public virtual Task<Transform> PrepareAsync(PipelineEnvironment environment, CancellationToken cancellationToken) =>
        Task.FromResult(this);

    /// <summary>What the transform needs from the code that runs it (PostgreSQL, state).</summary>
    public virtual TransformNeeds Needs => TransformNeeds.None;

    /// <summary>New state for one runner (<see cref="TransformNeeds.State"/>), or null for a stateless transform.</summary>
    public virtual ITransformState? CreateState() => null;

    /// <summary>Checks the transform against <paramref name="input"/> and compiles it.</summary>
    /// <exception cref="TransformException">The transform does not apply to this schema (unknown field, bad type...).</exception>
    public abstract BoundTransform Bind(RecordSchema input);

    /// <summary>
    /// Binds with the runner's <paramref name="state"/> (from <see cref="CreateState"/>), so that the state
    /// outlives the schema it was bound for and can be saved and restored.
    /// </summary>
    public virtual BoundTransform Bind(RecordSchema input, ITransformState? state) => Bind(input);

    /// <summary>The label, or the kind when no label was set.</summary>
    protected string Name => Label.Length > 0 ? Label : Kind;

    /// <summary>An error in this transform's definition.</summary>
    protected TransformException Error(string detail) => new($"{Name}: {detail}");

    /// <summary>The field named <paramref name="name"/> of <paramref name="input"/>, or an error listing the fields.</summary>
    protected Field RequireField(RecordSchema input, string name) =>
        input.GetField(name) ?? throw Error($"unknown field '{name}'; the input has fields {string.Join(", ", input.Fields.Select(f => f.Name))}");
}
