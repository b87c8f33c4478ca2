namespace Streams.Pipelines.Transforms;

/// <summary>How <see cref="ResolveChoiceTransform"/> resolves a field whose type varies across records.</summary>
public enum ChoiceAction
{
    /// <summary>Cast every value to one type; a value that does not cast goes to the dead letters.</summary>
    Cast,

    /// <summary>Project every value to one type; a value that does not convert becomes null.</summary>
    Project,

    /// <summary>One column per branch, <c>field_branch</c>, holding the value where it has that type.</summary>
    MakeCols,

    /// <summary>A record with one field per branch, holding the value where it has that type.</summary>
    MakeStruct,
}
