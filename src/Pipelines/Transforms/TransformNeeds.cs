namespace Streams.Pipelines.Transforms;

/// <summary>What a transform needs from the code that runs it, so callers ask the transform instead of testing its type.</summary>
[Flags]
public enum TransformNeeds
{
    /// <summary>Nothing beyond its input records.</summary>
    None = 0,

    /// <summary>A PostgreSQL connection (<see cref="PipelineEnvironment.Postgres"/>), e.g. for lookup tables; call <see cref="Transform.PrepareAsync"/> first.</summary>
    Postgres = 1,

    /// <summary>State that outlives a batch (<see cref="Transform.CreateState"/>), which the driver loads and saves with the positions.</summary>
    State = 2,
}
