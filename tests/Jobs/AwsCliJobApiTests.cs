using System.Text.Json;
using Streams.Testing;

namespace Streams.Jobs.Tests;

/// <summary>
/// The job, run, trigger and workflow operations driven by the AWS CLI (Debian's awscli 2, its own Glue model and
/// paginators) against a host that serves the API but executes nothing, so runs stay where the API put them: shapes,
/// states, paging and the error types.
/// </summary>
public sealed class AwsCliJobApiTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private JobsHost _host = null!;
    private string _lake = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _lake = Directory.CreateTempSubdirectory("streams-jobs-lake-").FullName;
        _host = await JobsHost.StartAsync(_database.ConnectionString, _lake, run: false);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_lake, recursive: true);
    }

    [Fact]
    public async Task Jobs_and_runs_through_awscli_with_Glue_shapes_states_paging_and_errors()
    {
        for (var i = 0; i < 5; i++)
        {
            await AwsAsync("create-job", "--name", $"job{i}", "--role", "r", "--command", $"Name=glueetl,ScriptLocation=/specs/p{i}.yaml",
                "--default-arguments", """{"--job-bookmark-option": "job-bookmark-enable", "--day": "2026-11-01"}""",
                "--max-retries", "2", "--timeout", "30", "--execution-property", "MaxConcurrentRuns=1");
        }

        var job = (await AwsAsync("get-job", "--job-name", "job1")).GetProperty("Job");
        Compact(job.GetProperty("Command")).Should().Be("""{"Name":"glueetl","ScriptLocation":"/specs/p1.yaml"}""");
        job.GetProperty("DefaultArguments").GetProperty("--day").GetString().Should().Be("2026-11-01");
        job.GetProperty("MaxRetries").GetInt32().Should().Be(2);
        job.GetProperty("ExecutionProperty").GetProperty("MaxConcurrentRuns").GetInt32().Should().Be(1);
        job.TryGetProperty("CreatedOn", out _).Should().BeTrue();

        // Server pages by hand (--no-paginate), and the CLI's own paginator following NextToken over pages of 2.
        var page = await AwsAsync("get-jobs", "--max-results", "2", "--no-paginate");
        page.GetProperty("Jobs").EnumerateArray().Select(j => j.GetProperty("Name").GetString()).Should().Equal("job0", "job1");
        var rest = await AwsAsync("get-jobs", "--next-token", page.GetProperty("NextToken").GetString()!, "--no-paginate");
        rest.GetProperty("Jobs").EnumerateArray().Select(j => j.GetProperty("Name").GetString()).Should().Equal("job2", "job3", "job4");
        rest.TryGetProperty("NextToken", out _).Should().BeFalse();
        (await AwsAsync("get-jobs", "--page-size", "2")).GetProperty("Jobs").GetArrayLength().Should().Be(5);
        // awscli 2.9 has no paginator for list-jobs: follow NextToken by hand.
        var names = await AwsAsync("list-jobs", "--max-results", "3");
        names.GetProperty("JobNames").EnumerateArray().Select(n => n.GetString()).Should().Equal("job0", "job1", "job2");
        (await AwsAsync("list-jobs", "--next-token", names.GetProperty("NextToken").GetString()!)).GetProperty("JobNames").EnumerateArray()
            .Select(n => n.GetString()).Should().Equal("job3", "job4");
        var batch = await AwsAsync("batch-get-jobs", "--job-names", "job0", "nope");
        batch.GetProperty("Jobs").EnumerateArray().Select(j => j.GetProperty("Name").GetString()).Should().Equal("job0");
        batch.GetProperty("JobsNotFound").EnumerateArray().Select(n => n.GetString()).Should().Equal("nope");

        await AwsAsync("update-job", "--job-name", "job0", "--job-update", """{"Role": "r2", "Command": {"Name": "gluestreaming", "ScriptLocation": "/specs/s.yaml"}}""");
        (await AwsAsync("get-job", "--job-name", "job0")).GetProperty("Job").GetProperty("Command").GetProperty("Name").GetString().Should().Be("gluestreaming");
        (await AwsAsync("delete-job", "--job-name", "job4")).GetProperty("JobName").GetString().Should().Be("job4");

        var runId = (await AwsAsync("start-job-run", "--job-name", "job1", "--arguments", """{"--day": "2026-11-02"}""")).GetProperty("JobRunId").GetString()!;
        var run = (await AwsAsync("get-job-run", "--job-name", "job1", "--run-id", runId)).GetProperty("JobRun");
        run.GetProperty("JobRunState").GetString().Should().Be("STARTING", "this host executes nothing, so the run stays queued");
        run.GetProperty("Attempt").GetInt32().Should().Be(0);
        run.GetProperty("Arguments").GetProperty("--day").GetString().Should().Be("2026-11-02");
        run.GetProperty("Timeout").GetInt32().Should().Be(30);
        (await AwsAsync("get-job-runs", "--job-name", "job1")).GetProperty("JobRuns").EnumerateArray().Select(r => r.GetProperty("Id").GetString())
            .Should().Equal(runId);
        await ErrorAsync("ConcurrentRunsExceededException", "start-job-run", "--job-name", "job1");

        var stop = await AwsAsync("batch-stop-job-run", "--job-name", "job1", "--job-run-ids", runId, "jr_missing");
        stop.GetProperty("SuccessfulSubmissions").EnumerateArray().Select(s => s.GetProperty("JobRunId").GetString()).Should().Equal(runId);
        stop.GetProperty("Errors")[0].GetProperty("ErrorDetail").GetProperty("ErrorCode").GetString().Should().Be("EntityNotFoundException");
        (await AwsAsync("get-job-run", "--job-name", "job1", "--run-id", runId)).GetProperty("JobRun").GetProperty("JobRunState").GetString()
            .Should().Be("STOPPED", "a queued run stops at once");

        await ErrorAsync("AlreadyExistsException", "create-job", "--name", "job1", "--role", "r", "--command", "Name=glueetl,ScriptLocation=/x.yaml");
        await ErrorAsync("InvalidInputException", "create-job", "--name", "shell", "--role", "r", "--command", "Name=pythonshell,ScriptLocation=/x.py");
        await ErrorAsync("InvalidInputException", "create-job", "--name", "bad-bookmark", "--role", "r", "--command", "Name=glueetl,ScriptLocation=/x.yaml",
            "--default-arguments", """{"--job-bookmark-option": "sometimes"}""");
        await ErrorAsync("EntityNotFoundException", "get-job", "--job-name", "job4");
        await ErrorAsync("EntityNotFoundException", "get-job-run", "--job-name", "job1", "--run-id", "jr_nope");
        await ErrorAsync("EntityNotFoundException", "start-job-run", "--job-name", "job4");
        await ErrorAsync("EntityNotFoundException", "get-job-bookmark", "--job-name", "job1");
    }

    [Fact]
    public async Task Triggers_and_workflows_through_awscli_with_Glue_shapes_states_paging_and_errors()
    {
        foreach (var name in new[] { "a", "b" })
        {
            await AwsAsync("create-job", "--name", name, "--role", "r", "--command", $"Name=glueetl,ScriptLocation=/specs/{name}.yaml");
        }

        await AwsAsync("create-trigger", "--name", "nightly", "--type", "SCHEDULED", "--schedule", "cron(0 12 * * ? *)",
            "--actions", """[{"JobName": "a", "Arguments": {"--x": "1"}}]""", "--start-on-creation");
        await AwsAsync("create-trigger", "--name", "after-a", "--type", "CONDITIONAL", "--actions", "JobName=b",
            "--predicate", """{"Logical": "ANY", "Conditions": [{"LogicalOperator": "EQUALS", "JobName": "a", "State": "SUCCEEDED"}]}""");
        await AwsAsync("create-trigger", "--name", "manual", "--type", "ON_DEMAND", "--actions", "JobName=b");
        var nightly = (await AwsAsync("get-trigger", "--name", "nightly")).GetProperty("Trigger");
        nightly.GetProperty("Type").GetString().Should().Be("SCHEDULED");
        nightly.GetProperty("State").GetString().Should().Be("ACTIVATED");
        nightly.GetProperty("Schedule").GetString().Should().Be("cron(0 12 * * ? *)");
        Compact(nightly.GetProperty("Actions")).Should().Be("""[{"JobName":"a","Arguments":{"--x":"1"}}]""");
        (await AwsAsync("get-trigger", "--name", "after-a")).GetProperty("Trigger").GetProperty("State").GetString().Should().Be("CREATED");

        var listed = await AwsAsync("list-triggers", "--max-results", "2", "--no-paginate");
        listed.GetProperty("TriggerNames").EnumerateArray().Select(n => n.GetString()).Should().Equal("after-a", "manual");
        (await AwsAsync("list-triggers", "--next-token", listed.GetProperty("NextToken").GetString()!, "--no-paginate"))
            .GetProperty("TriggerNames").EnumerateArray().Select(n => n.GetString()).Should().Equal("nightly");
        (await AwsAsync("get-triggers", "--page-size", "1")).GetProperty("Triggers").GetArrayLength().Should().Be(3);
        (await AwsAsync("get-triggers", "--dependent-job-name", "b")).GetProperty("Triggers").EnumerateArray().Select(t => t.GetProperty("Name").GetString())
            .Should().Equal("after-a", "manual");

        await AwsAsync("start-trigger", "--name", "after-a");
        (await AwsAsync("get-trigger", "--name", "after-a")).GetProperty("Trigger").GetProperty("State").GetString().Should().Be("ACTIVATED");
        await AwsAsync("stop-trigger", "--name", "nightly");
        (await AwsAsync("get-trigger", "--name", "nightly")).GetProperty("Trigger").GetProperty("State").GetString().Should().Be("DEACTIVATED");
        (await AwsAsync("update-trigger", "--name", "nightly", "--trigger-update", """{"Schedule": "cron(30 6 ? * MON-FRI *)"}"""))
            .GetProperty("Trigger").GetProperty("Schedule").GetString().Should().Be("cron(30 6 ? * MON-FRI *)");
        (await AwsAsync("start-trigger", "--name", "manual")).GetProperty("Name").GetString().Should().Be("manual");
        (await AwsAsync("get-job-runs", "--job-name", "b")).GetProperty("JobRuns")[0].GetProperty("TriggerName").GetString().Should().Be("manual");

        await ErrorAsync("InvalidInputException", "create-trigger", "--name", "x", "--type", "SCHEDULED", "--schedule", "cron(61 * * * ? *)", "--actions", "JobName=a");
        await ErrorAsync("InvalidInputException", "create-trigger", "--name", "x", "--type", "EVENT", "--actions", "JobName=a");
        await ErrorAsync("InvalidInputException", "create-trigger", "--name", "x", "--type", "CONDITIONAL", "--actions", "JobName=a");
        await ErrorAsync("InvalidInputException", "stop-trigger", "--name", "manual");
        await ErrorAsync("EntityNotFoundException", "create-trigger", "--name", "x", "--type", "ON_DEMAND", "--actions", "JobName=zzz");
        await ErrorAsync("AlreadyExistsException", "create-trigger", "--name", "manual", "--type", "ON_DEMAND", "--actions", "JobName=a");
        await ErrorAsync("EntityNotFoundException", "get-trigger", "--name", "zzz");

        await AwsAsync("create-workflow", "--name", "empty");
        await ErrorAsync("IllegalWorkflowStateException", "start-workflow-run", "--name", "empty");
        await AwsAsync("create-workflow", "--name", "flow", "--description", "d", "--default-run-properties", "day=1", "--max-concurrent-runs", "1");
        await AwsAsync("create-trigger", "--name", "flow-start", "--workflow-name", "flow", "--type", "ON_DEMAND", "--actions", "JobName=a");
        await AwsAsync("create-trigger", "--name", "flow-next", "--workflow-name", "flow", "--type", "CONDITIONAL", "--start-on-creation",
            "--predicate", """{"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "a", "State": "SUCCEEDED"}]}""", "--actions", "JobName=b");
        await ErrorAsync("AlreadyExistsException", "create-workflow", "--name", "flow");
        await ErrorAsync("EntityNotFoundException", "create-trigger", "--name", "y", "--workflow-name", "nope", "--type", "ON_DEMAND", "--actions", "JobName=a");

        var workflow = (await AwsAsync("get-workflow", "--name", "flow", "--include-graph")).GetProperty("Workflow");
        Compact(workflow.GetProperty("DefaultRunProperties")).Should().Be("""{"day":"1"}""");
        workflow.GetProperty("MaxConcurrentRuns").GetInt32().Should().Be(1);
        workflow.GetProperty("Graph").GetProperty("Nodes").EnumerateArray().Select(n => n.GetProperty("Type").GetString() + ":" + n.GetProperty("Name").GetString())
            .Order(StringComparer.Ordinal).Should().Equal("JOB:a", "JOB:b", "TRIGGER:flow-next", "TRIGGER:flow-start");

        var runId = (await AwsAsync("start-workflow-run", "--name", "flow", "--run-properties", "extra=2")).GetProperty("RunId").GetString()!;
        await ErrorAsync("ConcurrentRunsExceededException", "start-workflow-run", "--name", "flow");
        var run = (await AwsAsync("get-workflow-run", "--name", "flow", "--run-id", runId)).GetProperty("Run");
        run.GetProperty("Status").GetString().Should().Be("RUNNING");
        Compact(run.GetProperty("WorkflowRunProperties")).Should().Be("""{"day":"1","extra":"2"}""");
        (await AwsAsync("get-workflow-runs", "--name", "flow")).GetProperty("Runs").EnumerateArray().Select(r => r.GetProperty("WorkflowRunId").GetString())
            .Should().Equal(runId);
        var workflows = await AwsAsync("list-workflows", "--max-results", "1");
        workflows.GetProperty("Workflows").EnumerateArray().Select(w => w.GetString()).Should().Equal("empty");
        (await AwsAsync("list-workflows", "--next-token", workflows.GetProperty("NextToken").GetString()!)).GetProperty("Workflows").EnumerateArray()
            .Select(w => w.GetString()).Should().Equal("flow");
        await AwsAsync("update-workflow", "--name", "flow", "--description", "changed");
        (await AwsAsync("get-workflow", "--name", "flow")).GetProperty("Workflow").GetProperty("Description").GetString().Should().Be("changed");

        await AwsAsync("delete-workflow", "--name", "flow");
        await ErrorAsync("EntityNotFoundException", "get-workflow", "--name", "flow");
        (await AwsAsync("delete-trigger", "--name", "manual")).GetProperty("Name").GetString().Should().Be("manual");
        (await AwsAsync("list-triggers")).GetProperty("TriggerNames").EnumerateArray().Select(n => n.GetString()).Should().Equal(["after-a", "nightly"],
            "deleting a workflow deletes its triggers");
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);

    private async Task<JsonElement> AwsAsync(params string[] arguments)
    {
        var output = await _host.AwsAsync(arguments);
        return string.IsNullOrWhiteSpace(output) ? default : JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>The CLI fails naming <paramref name="code"/>, as it prints a Glue error: "An error occurred (Code) when calling ...".</summary>
    private async Task ErrorAsync(string code, params string[] arguments)
    {
        var call = () => _host.AwsAsync(arguments);
        (await call.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain($"An error occurred ({code}) when calling");
    }
}
