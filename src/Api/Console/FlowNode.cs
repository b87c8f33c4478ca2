namespace Streams.Api.Console;

/// <summary>One box of a pipeline's flow drawing: source, transform, window, aggregate or sink, in spec order.</summary>
/// <param name="Id">Unique within the pipeline, e.g. <c>transform-2</c>.</param>
/// <param name="Kind"><c>source</c>, <c>transform</c>, <c>window</c>, <c>aggregate</c> or <c>sink</c>.</param>
/// <param name="Label">The box's title, e.g. <c>kafka orders</c> or <c>filter</c>.</param>
/// <param name="Detail">A line under the title, e.g. the subject or the window size.</param>
public sealed record FlowNode(string Id, string Kind, string Label, string Detail);
