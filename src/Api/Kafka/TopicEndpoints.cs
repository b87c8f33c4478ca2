using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Streams.Streaming.Kafka;

namespace Streams.Api.Kafka;

/// <summary>
/// Topics over HTTP under <c>/kafka/topics</c>, through the host's <see cref="TopicManager"/>: the one that can create
/// topics on the embedded broker of <c>streams dev</c>, which serves no admin API to other processes.
/// <c>GET</c> lists, <c>POST</c> (<see cref="TopicCreateRequest"/>) creates, <c>GET /{name}?group=G</c> describes,
/// <c>DELETE /{name}</c> deletes. Failures answer <c>{"error": kind, "message": ...}</c>: 422 invalid, 404 unknown,
/// 409 exists, 503 broker unreachable or Kafka not configured.
/// </summary>
public static class TopicEndpoints
{
    /// <summary>Maps the endpoints under <c>/kafka/topics</c>. Needs the services of <see cref="TopicManagerServiceCollectionExtensions.AddTopicManager"/>.</summary>
    public static IEndpointRouteBuilder MapTopics(this IEndpointRouteBuilder endpoints)
    {
        var topics = endpoints.MapGroup("/kafka/topics");
        topics.MapGet("", (IServiceProvider services, bool? @internal) =>
            Run(services, manager => Task.FromResult(Results.Ok(manager.List(@internal ?? false)))));
        topics.MapPost("", (IServiceProvider services, TopicCreateRequest request, CancellationToken cancellationToken) =>
            Run(services, async manager =>
            {
                var spec = new TopicSpec(request.Name, request.Partitions, request.ReplicationFactor,
                    request.Configs ?? new Dictionary<string, string>(StringComparer.Ordinal));
                await manager.CreateAsync(spec, cancellationToken);
                return Results.Created($"/kafka/topics/{request.Name}", manager.List().First(t => t.Name == request.Name));
            }));
        topics.MapGet("/{name}", (IServiceProvider services, string name, string[]? group, CancellationToken cancellationToken) =>
            Run(services, async manager => Results.Ok(await manager.DescribeAsync(name, group, cancellationToken))));
        topics.MapDelete("/{name}", (IServiceProvider services, string name, CancellationToken cancellationToken) =>
            Run(services, async manager =>
            {
                await manager.DeleteAsync(name, cancellationToken);
                return Results.NoContent();
            }));
        return endpoints;
    }

    private static async Task<IResult> Run(IServiceProvider services, Func<TopicManager, Task<IResult>> action)
    {
        TopicManager manager;
        try
        {
            manager = services.GetRequiredService<TopicManager>();
        }
        catch (ArgumentException e)
        {
            return Error("not_configured", e.Message, StatusCodes.Status503ServiceUnavailable);
        }

        try
        {
            return await action(manager);
        }
        catch (TopicException e)
        {
            return e.Error switch
            {
                TopicError.Invalid => Error("invalid", e.Message, StatusCodes.Status422UnprocessableEntity),
                TopicError.NotFound => Error("not_found", e.Message, StatusCodes.Status404NotFound),
                TopicError.Exists => Error("exists", e.Message, StatusCodes.Status409Conflict),
                _ => Error("broker", e.Message, StatusCodes.Status503ServiceUnavailable),
            };
        }
    }

    private static IResult Error(string kind, string message, int status) =>
        Results.Json(new { error = kind, message }, statusCode: status);
}
