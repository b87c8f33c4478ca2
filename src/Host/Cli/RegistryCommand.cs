using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Streams.Host.Configuration;
using Streams.Registry;
using Streams.Registry.Client;

namespace Streams.Host.Cli;

/// <summary>
/// <c>streams registry ...</c>: subjects, versions, schemas, registration, compatibility checks and levels
/// against any Confluent-compatible schema registry (this host's by default).
/// </summary>
public static class RegistryCommand
{
    /// <summary>The configuration key of the default registry URL.</summary>
    public const string UrlKey = "Streams:Registry:Url";

    /// <summary>The URL used when neither <c>--url</c> nor <see cref="UrlKey"/> names one.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080/registry";

    /// <summary>Creates the command group.</summary>
    public static Command Create()
    {
        var url = new Option<string>("--url")
        {
            Description = $"The registry's base URL (default: {UrlKey} from appsettings.json or STREAMS__REGISTRY__URL, else {DefaultUrl}).",
            DefaultValueFactory = _ => ConfiguredUrl(),
            Recursive = true,
        };
        var command = new Command("registry", "Work with the schema registry: subjects, versions, schemas, compatibility.");
        command.Options.Add(url);
        command.Subcommands.Add(Subjects(url));
        command.Subcommands.Add(Versions(url));
        command.Subcommands.Add(Get(url));
        command.Subcommands.Add(Register(url));
        command.Subcommands.Add(Check(url));
        command.Subcommands.Add(Config(url));
        return command;
    }

    /// <summary>The registry URL from the configuration (a running dev stack publishes it), else <see cref="DefaultUrl"/>.</summary>
    internal static string ConfiguredUrl() =>
        StreamsConfiguration.Load()[UrlKey] is { Length: > 0 } configured ? configured : DefaultUrl;

    private static Command Subjects(Option<string> url)
    {
        var deleted = new Option<bool>("--deleted") { Description = "Include soft-deleted subjects." };
        var command = new Command("subjects", "List the subjects.") { deleted };
        command.SetAction((r, ct) => RunAsync(r, url, async client =>
        {
            using var registry = new CachedSchemaRegistryClient(client);
            foreach (var subject in await registry.GetSubjectsAsync(r.GetValue(deleted), ct))
            {
                Console.WriteLine(subject);
            }

            return 0;
        }));
        return command;
    }

    private static Command Versions(Option<string> url)
    {
        var subject = new Argument<string>("subject") { Description = "The subject." };
        var command = new Command("versions", "List the versions of a subject.") { subject };
        command.SetAction((r, ct) => RunAsync(r, url, async client =>
        {
            using var registry = new CachedSchemaRegistryClient(client);
            foreach (var version in await registry.GetVersionsAsync(r.GetValue(subject)!, ct))
            {
                Console.WriteLine(version);
            }

            return 0;
        }));
        return command;
    }

    private static Command Get(Option<string> url)
    {
        var subject = new Argument<string?>("subject") { Description = "The subject (omit with --id).", Arity = ArgumentArity.ZeroOrOne };
        var version = new Option<string>("--version") { Description = "The version number or 'latest'.", DefaultValueFactory = _ => "latest" };
        var id = new Option<int?>("--id") { Description = "Get the schema with this global id instead." };
        var command = new Command("get", "Print a schema: a subject's version, or the schema with a global id.") { subject, version, id };
        command.SetAction((r, ct) => RunAsync(r, url, async client =>
        {
            using var registry = new CachedSchemaRegistryClient(client);
            if (r.GetValue(id) is { } schemaId)
            {
                var schema = await registry.GetSchemaAsync(schemaId, ct);
                Console.WriteLine($"id {schema.Id} ({schema.SchemaType})");
                Console.WriteLine(schema.Schema);
                return 0;
            }

            var name = r.GetValue(subject) ?? throw new CliUsageException("give a subject, or --id.");
            var spec = Usage(() => VersionSpec.Parse(r.GetValue(version)!), "--version");
            var found = spec.Number is { } number
                ? await registry.GetSchemaAsync(name, number, ct)
                : await registry.GetLatestSchemaAsync(name, ct);
            Console.WriteLine($"subject {found.Subject} version {found.Version} id {found.Id} ({found.SchemaType})");
            Console.WriteLine(found.Schema);
            return 0;
        }));
        return command;
    }

    private static Command Register(Option<string> url)
    {
        var (subject, file, type) = SchemaArguments();
        var normalize = new Option<bool>("--normalize") { Description = "Register the schema's normalized form." };
        var command = new Command("register", "Register a schema file under a subject; prints its id.") { subject, file, type, normalize };
        command.SetAction((r, ct) => RunAsync(r, url, async client =>
        {
            using var registry = new CachedSchemaRegistryClient(client);
            var submission = await ReadSubmissionAsync(r.GetValue(file)!, r.GetValue(type), ct);
            var id = await registry.RegisterSchemaAsync(r.GetValue(subject)!, submission, r.GetValue(normalize), ct);
            Console.WriteLine(id);
            return 0;
        }));
        return command;
    }

    private static Command Check(Option<string> url)
    {
        var (subject, file, type) = SchemaArguments();
        var version = new Option<string?>("--version")
        {
            Description = "Check against this version ('latest' or a number); default: the versions the subject's level checks.",
        };
        var command = new Command("check", "Check a schema file's compatibility with a subject; exit code 1 when incompatible.")
        {
            subject, file, type, version,
        };
        command.SetAction((r, ct) => RunAsync(r, url, async client =>
        {
            using var registry = new CachedSchemaRegistryClient(client);
            var submission = await ReadSubmissionAsync(r.GetValue(file)!, r.GetValue(type), ct);
            int? number = null;
            if (r.GetValue(version) is { } text)
            {
                var spec = Usage(() => VersionSpec.Parse(text), "--version");
                number = spec.Number ?? (await registry.GetLatestSchemaAsync(r.GetValue(subject)!, ct)).Version;
            }

            var reasons = await registry.TestCompatibilityAsync(r.GetValue(subject)!, submission, number, ct);
            if (reasons.Count == 0)
            {
                Console.WriteLine("compatible");
                return 0;
            }

            Console.WriteLine("incompatible:");
            foreach (var reason in reasons)
            {
                Console.WriteLine("  " + reason);
            }

            return 1;
        }));
        return command;
    }

    private static Command Config(Option<string> url)
    {
        var subject = new Argument<string?>("subject") { Description = "The subject; omit for the global level.", Arity = ArgumentArity.ZeroOrOne };
        var set = new Option<string?>("--set")
        {
            Description = "Set the level: NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE.",
        };
        var command = new Command("config", "Show or set the compatibility level of a subject or of the registry.") { subject, set };
        command.SetAction((r, ct) => RunAsync(r, url, async client =>
        {
            using var registry = new CachedSchemaRegistryClient(client);
            if (r.GetValue(set) is { } level)
            {
                await registry.SetCompatibilityAsync(r.GetValue(subject), Usage(() => CompatibilityLevels.Parse(level), "--set"), ct);
            }

            Console.WriteLine((await registry.GetCompatibilityAsync(r.GetValue(subject), ct)).ToWireName());
            return 0;
        }));
        return command;
    }

    private static (Argument<string> Subject, Argument<FileInfo> File, Option<string> Type) SchemaArguments() =>
    (
        new Argument<string>("subject") { Description = "The subject." },
        new Argument<FileInfo>("file") { Description = "The schema file (e.g. an .avsc)." },
        new Option<string>("--type") { Description = "The schema type.", DefaultValueFactory = _ => SchemaTypes.Avro }
    );

    private static async Task<SchemaSubmission> ReadSubmissionAsync(FileInfo file, string? type, CancellationToken ct) =>
        new((await File.ReadAllTextAsync(file.FullName, ct)).Trim(), SchemaTypes.Normalize(type));

    private static async Task<int> RunAsync(ParseResult result, Option<string> url, Func<HttpClient, Task<int>> action)
    {
        var baseUrl = result.GetValue(url)!;
        using var client = new HttpClient { BaseAddress = CachedSchemaRegistryClient.BaseUri(baseUrl) };
        try
        {
            return await action(client);
        }
        catch (CliUsageException e)
        {
            await Console.Error.WriteLineAsync("error: " + CliMessages.Of(e));
            return CliExitCodes.Usage;
        }
        catch (SchemaRegistryException e)
        {
            await Console.Error.WriteLineAsync($"error {e.ErrorCode}: {CliMessages.Of(e)}");
            return CliExitCodes.Failure;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"error: the registry at {baseUrl} could not be reached: {CliMessages.Of(e)}");
            return CliExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync("error: " + CliMessages.Of(e));
            return CliExitCodes.Failure;
        }
    }

    /// <summary>Parses an option's value on this side: a value of the wrong form is a usage error, not the registry's answer.</summary>
    private static T Usage<T>(Func<T> parse, string option)
    {
        try
        {
            return parse();
        }
        catch (SchemaRegistryException e)
        {
            throw new CliUsageException($"{option}: {CliMessages.Of(e)}");
        }
    }
}
