using System.Xml.Linq;
using Streams.Testing;

namespace Streams.Host.Tests;

/// <summary>
/// The rules of docs/architecture.md, read from the project files themselves: references point up the
/// projects table (and match its "depends on" column), and only Api and Host carry a web server.
/// </summary>
public sealed class ProjectLayoutTests
{
    private const string WebFramework = "Microsoft.AspNetCore.App";

    private static readonly string Src = Path.Combine(ExternalTool.RepositoryRoot, "src");

    private static readonly string[] Workers = ["Pipelines", "Streaming", "Batch", "Jobs"];

    /// <summary>The projects table of docs/architecture.md: its folders in order, each with its "depends on" (null for "all").</summary>
    private static readonly (List<string> Order, Dictionary<string, IReadOnlyList<string>?> DependsOn) Table = ReadTable();

    [Fact]
    public void Every_src_project_is_in_the_table_and_references_only_projects_above_it()
    {
        var folders = Table.Order;
        Directory.GetDirectories(Src).Select(Path.GetFileName).Where(f => File.Exists(ProjectFile(f!))).Order()
            .Should().BeEquivalentTo(folders.Order(), "every project under src/ has a row in docs/architecture.md and every row a project");

        foreach (var folder in folders)
        {
            var references = References(folder);
            var above = folders.TakeWhile(f => f != folder).ToList();
            references.Should().BeSubsetOf(above, $"{folder} may reference only projects above it in the table");
            if (Table.DependsOn[folder] is { } dependsOn)
            {
                references.Should().BeEquivalentTo(dependsOn, $"the table's 'depends on' for {folder} names its project references");
            }
        }
    }

    [Fact]
    public void Only_Api_and_Host_reference_ASP_NET_Core_and_no_worker_reaches_it()
    {
        Table.Order.Where(f => FrameworkReferences(f).Contains(WebFramework))
            .Should().BeEquivalentTo(["Api", "Host"], "HTTP endpoints live in Api, the web host in Host");

        foreach (var worker in Workers)
        {
            Closure(worker).Should().NotContain(["Api", "Host"], $"{worker} is a worker project");
            Closure(worker).Where(p => FrameworkReferences(p).Contains(WebFramework))
                .Should().BeEmpty($"{worker} must not pull in {WebFramework}, directly or transitively");

            // What restore resolved: a transitive framework reference shows up in the assets file too.
            var assets = Path.Combine(Src, worker, "obj", "project.assets.json");
            File.Exists(assets).Should().BeTrue($"{assets} is written by the build that runs these tests");
            File.ReadAllText(assets).Should().NotContain(WebFramework, $"restoring {worker} resolves no web framework");
        }
    }

    private static (List<string>, Dictionary<string, IReadOnlyList<string>?>) ReadTable()
    {
        var lines = File.ReadAllLines(Path.Combine(ExternalTool.RepositoryRoot, "docs", "architecture.md"));
        var start = Array.IndexOf(lines, "## Projects");
        start.Should().BeGreaterThan(0, "docs/architecture.md has a '## Projects' section");
        var rows = lines.Skip(start).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2);
        var order = new List<string>();
        var dependsOn = new Dictionary<string, IReadOnlyList<string>?>();
        foreach (var row in rows)
        {
            var cells = row.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            order.Add(cells[0]);
            dependsOn[cells[0]] = cells[^1] switch
            {
                "nothing" => [],
                "all" => null,
                var list => list.Split(',', StringSplitOptions.TrimEntries),
            };
        }

        return (order, dependsOn);
    }

    private static string ProjectFile(string folder) => Path.Combine(Src, folder, $"Streams.{folder}.csproj");

    private static IReadOnlyList<string> References(string folder) =>
        Items(folder, "ProjectReference")
            .Select(path => Path.GetFileName(Path.GetDirectoryName(path.Replace('\\', '/')))!)
            .ToList();

    private static IReadOnlyList<string> FrameworkReferences(string folder) => Items(folder, "FrameworkReference");

    private static List<string> Items(string folder, string item) =>
        XDocument.Load(ProjectFile(folder)).Descendants(item).Select(e => (string)e.Attribute("Include")!).ToList();

    /// <summary>The project and every project it references, transitively.</summary>
    private static HashSet<string> Closure(string folder)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([folder]);
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var reference in References(next))
                {
                    pending.Push(reference);
                }
            }
        }

        return seen;
    }
}
