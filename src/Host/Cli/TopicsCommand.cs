using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;
using Streams.Api.Kafka;
using Streams.Host.Configuration;
using Streams.Streaming.Kafka;

namespace Streams.Host.Cli;

/// <summary>
/// <c>streams topics list|create|describe|delete</c> through the host's <c>/kafka/topics</c> API: the running
/// <c>streams dev</c> (found through <c>.streams/dev.json</c>) or <c>streams serve</c>, whose topic manager
/// is the one that can create topics on the embedded broker as well as on Kafka.
/// </summary>
public static class TopicsCommand
{
    /// <summary>The configuration key of the host's API URL.</summary>
    public const string UrlKey = "Streams:Api:Url";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Creates the command group.</summary>
    public static Command Create()
    {
        var url = new Option<string>("--url")
        {
            Description = $"The Streams API's base URL (default: {UrlKey}, which a running `streams dev` publishes, else http://127.0.0.1:8080).",
            DefaultValueFactory = _ => StreamsConfiguration.Load()[UrlKey] is { Length: > 0 } configured ? configured : new ApiOptions().Url,
            Recursive = true,
        };
        var command = new Command("topics", "List, create, describe and delete Kafka topics.") { url };
        command.Subcommands.Add(List(url));
        command.Subcommands.Add(CreateTopic(url));
        command.Subcommands.Add(Describe(url));
        command.Subcommands.Add(Delete(url));
        return command;
    }

    private static Command List(Option<string> url)
    {
        var @internal = new Option<bool>("--internal") { Description = "Include internal topics (__consumer_offsets...)." };
        var command = new Command("list", "List the topics with their partitions and replicas.") { @internal };
        command.SetAction((r, ct) => RunAsync(r, url, async http =>
        {
            var topics = await ReadAsync<List<TopicListing>>(await http.GetAsync($"kafka/topics?internal={r.GetValue(@internal)}", ct), ct);
            var table = new Table().AddColumns("Topic", "Partitions", "Replicas");
            foreach (var t in topics)
            {
                table.AddRow(Markup.Escape(t.Name), Text(t.Partitions), Text(t.ReplicationFactor));
            }

            CliConsole.Output.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command CreateTopic(Option<string> url)
    {
        var name = new Argument<string>("topic") { Description = "The topic." };
        var partitions = new Option<int>("--partitions") { Description = "Partition count.", DefaultValueFactory = _ => 1 };
        var replicas = new Option<short>("--replication-factor") { Description = "Replicas of each partition.", DefaultValueFactory = _ => 1 };
        var configs = new Option<string[]>("--config")
        {
            Description = "A topic config NAME=VALUE, e.g. cleanup.policy=compact or retention.ms=86400000 (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("create", "Create a topic (admin API on Kafka; the mock cluster's own call on the embedded broker).")
        {
            name, partitions, replicas, configs,
        };
        command.SetAction((r, ct) => RunAsync(r, url, async http =>
        {
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in r.GetValue(configs) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new CliUsageException($"--config '{pair}' is not NAME=VALUE.");
                }

                settings[pair[..equals]] = pair[(equals + 1)..];
            }

            var request = new TopicCreateRequest(r.GetValue(name)!, r.GetValue(partitions), r.GetValue(replicas), settings);
            var created = await ReadAsync<TopicListing>(await http.PostAsJsonAsync("kafka/topics", request, Json, ct), ct);
            Console.WriteLine($"created {created.Name}: {created.Partitions} partition(s), replication factor {created.ReplicationFactor}");
            return 0;
        }));
        return command;
    }

    private static Command Describe(Option<string> url)
    {
        var name = new Argument<string>("topic") { Description = "The topic." };
        var groups = new Option<string[]>("--group") { Description = "Also show this consumer group's lag (repeatable; needed on the embedded broker)." };
        var command = new Command("describe", "Show a topic's partitions, low/high offsets, configs and consumer groups with their lag.") { name, groups };
        command.SetAction((r, ct) => RunAsync(r, url, async http =>
        {
            var query = string.Concat((r.GetValue(groups) ?? []).Select((g, i) => (i == 0 ? "?" : "&") + "group=" + Uri.EscapeDataString(g)));
            var topic = await ReadAsync<TopicDescription>(
                await http.GetAsync($"kafka/topics/{Uri.EscapeDataString(r.GetValue(name)!)}{query}", ct), ct);
            Console.WriteLine($"{topic.Name}: {topic.Partitions.Count} partition(s), {topic.Records} record(s)");
            var partitions = new Table().AddColumns("Partition", "Leader", "Replicas", "In sync", "Low", "High");
            foreach (var p in topic.Partitions)
            {
                partitions.AddRow(Text(p.Id), Text(p.Leader), string.Join(',', p.Replicas), string.Join(',', p.InSyncReplicas), Text(p.Low), Text(p.High));
            }

            CliConsole.Output.Write(partitions);
            if (topic.Configs is { Count: > 0 })
            {
                var configs = new Table().AddColumns("Config", "Value");
                foreach (var (key, value) in topic.Configs)
                {
                    configs.AddRow(Markup.Escape(key), Markup.Escape(value));
                }

                CliConsole.Output.Write(configs);
            }

            if (topic.Groups is { Count: > 0 })
            {
                var lag = new Table().AddColumns("Group", "State", "Partition", "Committed", "Lag");
                foreach (var group in topic.Groups)
                {
                    if (group.Partitions.Count == 0)
                    {
                        lag.AddRow(Markup.Escape(group.Group), group.State ?? "", "", "none", "");
                    }

                    foreach (var p in group.Partitions)
                    {
                        lag.AddRow(Markup.Escape(group.Group), group.State ?? "", Text(p.Partition), Text(p.Committed), Text(p.Lag));
                    }
                }

                CliConsole.Output.Write(lag);
            }

            foreach (var missing in topic.Unavailable)
            {
                Console.WriteLine("not available: " + missing);
            }

            return 0;
        }));
        return command;
    }

    private static Command Delete(Option<string> url)
    {
        var name = new Argument<string>("topic") { Description = "The topic." };
        var command = new Command("delete", "Delete a topic and its records.") { name };
        command.SetAction((r, ct) => RunAsync(r, url, async http =>
        {
            var response = await http.DeleteAsync($"kafka/topics/{Uri.EscapeDataString(r.GetValue(name)!)}", ct);
            await ReadAsync<JsonElement?>(response, ct);
            Console.WriteLine($"deleted {r.GetValue(name)}");
            return 0;
        }));
        return command;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var message = $"HTTP {(int)response.StatusCode}";
                try
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                    if (body.TryGetProperty("message", out var text))
                    {
                        message = text.GetString() ?? message;
                    }
                }
                catch (JsonException)
                {
                    // Not a Streams host's error body: the status says enough.
                }

                throw new TopicsCommandException(message);
            }

            return response.StatusCode == HttpStatusCode.NoContent
                ? default!
                : (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
        }
    }

    private static async Task<int> RunAsync(ParseResult result, Option<string> url, Func<HttpClient, Task<int>> action)
    {
        var baseUrl = result.GetValue(url)!.TrimEnd('/') + "/";
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            return await action(http);
        }
        catch (TopicsCommandException e)
        {
            await Console.Error.WriteLineAsync("streams topics: " + CliMessages.Of(e));
            return 1;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync(
                $"streams topics: the Streams API at {baseUrl} could not be reached ({CliMessages.Of(e)}): start `streams dev` (or `streams serve`), or pass --url.");
            return 1;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("streams topics: " + CliMessages.Of(e));
            return 1;
        }
    }

    private sealed class TopicsCommandException(string message) : Exception(message);
}
