using System.Text.Json;
using Streams.Testing;

namespace Streams.Jobs.Tests;

/// <summary>
/// The job, run, trigger and workflow operations driven by boto3 (botocore's Glue model) against a host that serves the
/// API but executes nothing, so runs stay where the API put them: shapes, paging and every error type.
/// </summary>
public sealed class Boto3JobApiTests : IAsyncLifetime
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
    public async Task Jobs_are_created_read_paged_updated_and_deleted_with_Glue_shapes_and_errors()
    {
        var output = await _host.Boto3Async("""
            out = {}
            for i in range(5):
                glue.create_job(Name=f"job{i}", Role="unused", Command={"Name": "glueetl", "ScriptLocation": f"/specs/p{i}.yaml"},
                    DefaultArguments={"--job-bookmark-option": "job-bookmark-enable", "--day": "2026-11-01"}, MaxRetries=2, Timeout=30,
                    ExecutionProperty={"MaxConcurrentRuns": 2}, GlueVersion="4.0")
            job = glue.get_job(JobName="job1")["Job"]
            out["job"] = {k: job[k] for k in ["Name", "Role", "Command", "DefaultArguments", "MaxRetries", "Timeout", "ExecutionProperty", "GlueVersion"]}
            out["created_type"] = type(job["CreatedOn"]).__name__
            first = glue.get_jobs(MaxResults=2)
            out["first_page"] = [j["Name"] for j in first["Jobs"]]
            out["all"] = [j["Name"] for p in glue.get_paginator("get_jobs").paginate(PaginationConfig={"PageSize": 2}) for j in p["Jobs"]]
            listed = glue.list_jobs(MaxResults=3)
            out["listed"] = listed["JobNames"]
            out["listed_rest"] = glue.list_jobs(NextToken=listed["NextToken"])["JobNames"]
            got = glue.batch_get_jobs(JobNames=["job0", "nope"])
            out["batch"] = [[j["Name"] for j in got["Jobs"]], got["JobsNotFound"]]
            glue.update_job(JobName="job0", JobUpdate={"Role": "r2", "Command": {"Name": "gluestreaming", "ScriptLocation": "/specs/s.yaml"}})
            out["updated"] = glue.get_job(JobName="job0")["Job"]["Command"]["Name"]
            out["deleted"] = glue.delete_job(JobName="job4")["JobName"]
            out["deleted_again"] = glue.delete_job(JobName="job4")["JobName"]
            errors = {}
            def error(name, call):
                try:
                    call()
                    errors[name] = "no error"
                except glue.exceptions.ClientError as e:
                    errors[name] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Message"]]
            error("duplicate", lambda: glue.create_job(Name="job0", Role="r", Command={"Name": "glueetl", "ScriptLocation": "/x.yaml"}))
            error("missing", lambda: glue.get_job(JobName="nope"))
            error("bad_command", lambda: glue.create_job(Name="py", Role="r", Command={"Name": "pythonshell", "ScriptLocation": "/x.py"}))
            error("no_script", lambda: glue.create_job(Name="ns", Role="r", Command={"Name": "glueetl"}))
            error("bad_bookmark", lambda: glue.create_job(Name="bb", Role="r", Command={"Name": "glueetl", "ScriptLocation": "/x.yaml"},
                DefaultArguments={"--job-bookmark-option": "sometimes"}))
            error("update_missing", lambda: glue.update_job(JobName="nope", JobUpdate={"Role": "r", "Command": {"Name": "glueetl", "ScriptLocation": "/x"}}))
            error("run_missing_job", lambda: glue.start_job_run(JobName="nope"))
            error("bad_page", lambda: glue.get_jobs(NextToken="garbage"))
            out["errors"] = errors
            out["names_after"] = glue.list_jobs()["JobNames"]
            print(json.dumps(out))
            """);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("job").GetRawText().Should().Be(
            """{"Name": "job1", "Role": "unused", "Command": {"Name": "glueetl", "ScriptLocation": "/specs/p1.yaml"}, "DefaultArguments": {"--day": "2026-11-01", "--job-bookmark-option": "job-bookmark-enable"}, "MaxRetries": 2, "Timeout": 30, "ExecutionProperty": {"MaxConcurrentRuns": 2}, "GlueVersion": "4.0"}""", "the arguments as given (in jsonb key order)");
        root.GetProperty("created_type").GetString().Should().Be("datetime", "timestamps travel as epoch seconds, which botocore parses");
        Names(root, "first_page").Should().Equal("job0", "job1");
        Names(root, "all").Should().Equal("job0", "job1", "job2", "job3", "job4");
        Names(root, "listed").Should().Equal("job0", "job1", "job2");
        Names(root, "listed_rest").Should().Equal("job3", "job4");
        root.GetProperty("batch").GetRawText().Should().Be("""[["job0"], ["nope"]]""");
        root.GetProperty("updated").GetString().Should().Be("gluestreaming");
        root.GetProperty("deleted").GetString().Should().Be("job4");
        root.GetProperty("deleted_again").GetString().Should().Be("job4", "Glue's DeleteJob succeeds for a job that is gone");
        Names(root, "names_after").Should().Equal("job0", "job1", "job2", "job3");
        var errors = root.GetProperty("errors");
        Error(errors, "duplicate").Should().Be("AlreadyExistsException 400");
        Error(errors, "missing").Should().Be("EntityNotFoundException 400");
        Error(errors, "bad_command").Should().Be("InvalidInputException 400");
        errors.GetProperty("bad_command")[2].GetString().Should().Contain("glueetl").And.Contain("pythonshell");
        Error(errors, "no_script").Should().Be("InvalidInputException 400");
        Error(errors, "bad_bookmark").Should().Be("InvalidInputException 400");
        errors.GetProperty("bad_bookmark")[2].GetString().Should().Contain("job-bookmark-enable");
        Error(errors, "update_missing").Should().Be("EntityNotFoundException 400");
        Error(errors, "run_missing_job").Should().Be("EntityNotFoundException 400");
        Error(errors, "bad_page").Should().Be("InvalidInputException 400");
    }

    [Fact]
    public async Task Runs_are_queued_paged_refused_past_MaxConcurrentRuns_and_stopped()
    {
        var output = await _host.Boto3Async("""
            out = {}
            glue.create_job(Name="etl", Role="r", Command={"Name": "glueetl", "ScriptLocation": "/specs/etl.yaml"}, ExecutionProperty={"MaxConcurrentRuns": 3})
            ids = [glue.start_job_run(JobName="etl", Arguments={"--day": str(i)})["JobRunId"] for i in range(3)]
            out["id_shape"] = all(i.startswith("jr_") and len(i) == 67 for i in ids)
            try:
                glue.start_job_run(JobName="etl")
            except glue.exceptions.ConcurrentRunsExceededException as e:
                out["fourth"] = e.response["Error"]["Message"]
            run = glue.get_job_run(JobName="etl", RunId=ids[0])["JobRun"]
            out["run"] = {k: run[k] for k in ["Id", "Attempt", "JobName", "JobRunState", "Arguments", "Timeout"]}
            out["run_has_started"] = type(run["StartedOn"]).__name__
            page = glue.get_job_runs(JobName="etl", MaxResults=2)
            out["page"] = [r["Id"] for r in page["JobRuns"]]
            out["rest"] = [r["Id"] for r in glue.get_job_runs(JobName="etl", NextToken=page["NextToken"])["JobRuns"]]
            stopped = glue.batch_stop_job_run(JobName="etl", JobRunIds=[ids[1], "jr_missing"])
            out["stopped"] = [s["JobRunId"] for s in stopped["SuccessfulSubmissions"]]
            out["stop_errors"] = [[e["JobRunId"], e["ErrorDetail"]["ErrorCode"]] for e in stopped["Errors"]]
            out["state_after_stop"] = glue.get_job_run(JobName="etl", RunId=ids[1])["JobRun"]["JobRunState"]
            again = glue.batch_stop_job_run(JobName="etl", JobRunIds=[ids[1]])
            out["stop_again"] = again["Errors"][0]["ErrorDetail"]["ErrorMessage"]
            out["fourth_after_stop"] = glue.start_job_run(JobName="etl")["JobRunId"].startswith("jr_")
            try:
                glue.get_job_run(JobName="etl", RunId="jr_nope")
            except glue.exceptions.EntityNotFoundException as e:
                out["missing_run"] = e.response["Error"]["Code"]
            print(json.dumps(out))
            """);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("id_shape").GetBoolean().Should().BeTrue("Glue run ids are jr_ and 64 hex digits");
        root.GetProperty("fourth").GetString().Should().Contain("MaxConcurrentRuns is 3");
        var run = root.GetProperty("run");
        run.GetProperty("JobRunState").GetString().Should().Be("STARTING", "this host executes nothing, so the run stays queued");
        run.GetProperty("Attempt").GetInt32().Should().Be(0);
        run.GetProperty("Timeout").GetInt32().Should().Be(2880, "Glue's default timeout is 48 hours");
        run.GetProperty("Arguments").GetRawText().Should().Be("""{"--day": "0"}""");
        root.GetProperty("run_has_started").GetString().Should().Be("datetime");
        root.GetProperty("page").GetArrayLength().Should().Be(2);
        root.GetProperty("rest").GetArrayLength().Should().Be(1);
        root.GetProperty("stopped").GetArrayLength().Should().Be(1);
        root.GetProperty("stop_errors")[0][0].GetString().Should().Be("jr_missing");
        root.GetProperty("state_after_stop").GetString().Should().Be("STOPPED", "a queued run stops at once");
        root.GetProperty("stop_again").GetString().Should().Contain("STOPPED");
        root.GetProperty("fourth_after_stop").GetBoolean().Should().BeTrue("the stopped run no longer counts against MaxConcurrentRuns");
        root.GetProperty("missing_run").GetString().Should().Be("EntityNotFoundException");
    }

    [Fact]
    public async Task Triggers_and_workflows_have_Glue_shapes_and_refuse_bad_input()
    {
        var output = await _host.Boto3Async("""
            out = {}
            glue.create_job(Name="a", Role="r", Command={"Name": "glueetl", "ScriptLocation": "/specs/a.yaml"})
            glue.create_job(Name="b", Role="r", Command={"Name": "glueetl", "ScriptLocation": "/specs/b.yaml"})
            glue.create_trigger(Name="nightly", Type="SCHEDULED", Schedule="cron(0 12 * * ? *)", Actions=[{"JobName": "a", "Arguments": {"--x": "1"}}],
                StartOnCreation=True)
            glue.create_trigger(Name="after-a", Type="CONDITIONAL", Predicate={"Logical": "ANY", "Conditions": [
                {"LogicalOperator": "EQUALS", "JobName": "a", "State": "SUCCEEDED"}]}, Actions=[{"JobName": "b"}])
            glue.create_trigger(Name="manual", Type="ON_DEMAND", Actions=[{"JobName": "b"}])
            t = glue.get_trigger(Name="nightly")["Trigger"]
            out["nightly"] = {k: t[k] for k in ["Name", "Type", "State", "Schedule", "Actions"]}
            out["nightly_id"] = t["Id"].startswith("tr_")
            out["after_state"] = glue.get_trigger(Name="after-a")["Trigger"]["State"]
            out["list"] = glue.list_triggers()["TriggerNames"]
            out["dependent_on_b"] = [t["Name"] for t in glue.get_triggers(DependentJobName="b")["Triggers"]]
            page = glue.get_triggers(MaxResults=2)
            out["trigger_page"] = [len(page["Triggers"]), "NextToken" in page]
            glue.start_trigger(Name="after-a")
            out["started"] = glue.get_trigger(Name="after-a")["Trigger"]["State"]
            glue.stop_trigger(Name="nightly")
            out["stopped"] = glue.get_trigger(Name="nightly")["Trigger"]["State"]
            out["updated"] = glue.update_trigger(Name="nightly", TriggerUpdate={"Schedule": "cron(30 6 ? * MON-FRI *)"})["Trigger"]["Schedule"]
            errors = {}
            def error(name, call):
                try:
                    call()
                    errors[name] = "no error"
                except glue.exceptions.ClientError as e:
                    errors[name] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
            error("bad_cron", lambda: glue.create_trigger(Name="x", Type="SCHEDULED", Schedule="cron(61 * * * ? *)", Actions=[{"JobName": "a"}]))
            error("not_cron", lambda: glue.create_trigger(Name="x", Type="SCHEDULED", Schedule="every minute", Actions=[{"JobName": "a"}]))
            error("bad_update_cron", lambda: glue.update_trigger(Name="nightly", TriggerUpdate={"Schedule": "cron(* * * * * *)"}))
            error("no_actions", lambda: glue.create_trigger(Name="x", Type="ON_DEMAND", Actions=[]))
            error("missing_job", lambda: glue.create_trigger(Name="x", Type="ON_DEMAND", Actions=[{"JobName": "zzz"}]))
            error("no_predicate", lambda: glue.create_trigger(Name="x", Type="CONDITIONAL", Actions=[{"JobName": "a"}]))
            error("duplicate", lambda: glue.create_trigger(Name="manual", Type="ON_DEMAND", Actions=[{"JobName": "a"}]))
            error("missing", lambda: glue.get_trigger(Name="zzz"))
            error("stop_on_demand", lambda: glue.stop_trigger(Name="manual"))
            error("start_workflow_without_trigger", lambda: (glue.create_workflow(Name="empty"), glue.start_workflow_run(Name="empty")))
            glue.create_workflow(Name="flow", Description="d", DefaultRunProperties={"day": "1"}, MaxConcurrentRuns=1)
            glue.create_trigger(Name="flow-start", WorkflowName="flow", Type="ON_DEMAND", Actions=[{"JobName": "a"}])
            glue.create_trigger(Name="flow-next", WorkflowName="flow", Type="CONDITIONAL", StartOnCreation=True,
                Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "a", "State": "SUCCEEDED"}]}, Actions=[{"JobName": "b"}])
            error("duplicate_workflow", lambda: glue.create_workflow(Name="flow"))
            error("trigger_of_missing_workflow", lambda: glue.create_trigger(Name="y", WorkflowName="nope", Type="ON_DEMAND", Actions=[{"JobName": "a"}]))
            w = glue.get_workflow(Name="flow", IncludeGraph=True)["Workflow"]
            out["workflow"] = [w["Name"], w["Description"], w["DefaultRunProperties"], w["MaxConcurrentRuns"]]
            out["nodes"] = sorted(n["UniqueId"] for n in w["Graph"]["Nodes"])
            out["edges"] = sorted(e["SourceId"] + ">" + e["DestinationId"] for e in w["Graph"]["Edges"])
            run_id = glue.start_workflow_run(Name="flow", RunProperties={"extra": "2"})["RunId"]
            error("second_workflow_run", lambda: glue.start_workflow_run(Name="flow"))
            run = glue.get_workflow_run(Name="flow", RunId=run_id, IncludeGraph=True)["Run"]
            out["workflow_run"] = [run["Status"], run["WorkflowRunProperties"], run["Statistics"]["TotalActions"], run["Statistics"]["RunningActions"]]
            out["job_a_runs_in_graph"] = [len(n["JobDetails"]["JobRuns"]) for n in run["Graph"]["Nodes"] if n["UniqueId"] == "job:a"]
            out["runs_of_a"] = [r["TriggerName"] for r in glue.get_job_runs(JobName="a")["JobRuns"]]
            glue.put_workflow_run_properties(Name="flow", RunId=run_id, RunProperties={"day": "7"})
            out["properties"] = glue.get_workflow_run_properties(Name="flow", RunId=run_id)["RunProperties"]
            out["workflow_runs"] = len(glue.get_workflow_runs(Name="flow")["Runs"])
            out["workflows"] = glue.list_workflows()["Workflows"]
            glue.update_workflow(Name="flow", Description="changed")
            out["updated_workflow"] = glue.get_workflow(Name="flow")["Workflow"]["Description"]
            glue.delete_workflow(Name="flow")
            out["triggers_after_delete"] = glue.list_triggers()["TriggerNames"]
            error("workflow_gone", lambda: glue.get_workflow(Name="flow"))
            glue.delete_trigger(Name="manual")
            out["after_delete"] = glue.list_triggers()["TriggerNames"]
            out["errors"] = errors
            print(json.dumps(out))
            """);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("nightly").GetRawText().Should().Be(
            """{"Name": "nightly", "Type": "SCHEDULED", "State": "ACTIVATED", "Schedule": "cron(0 12 * * ? *)", "Actions": [{"JobName": "a", "Arguments": {"--x": "1"}}]}""");
        root.GetProperty("nightly_id").GetBoolean().Should().BeTrue();
        root.GetProperty("after_state").GetString().Should().Be("CREATED", "without StartOnCreation a trigger is not activated");
        Names(root, "list").Should().Equal("after-a", "manual", "nightly");
        Names(root, "dependent_on_b").Should().Equal("after-a", "manual");
        root.GetProperty("trigger_page").GetRawText().Should().Be("[2, true]");
        root.GetProperty("started").GetString().Should().Be("ACTIVATED");
        root.GetProperty("stopped").GetString().Should().Be("DEACTIVATED");
        root.GetProperty("updated").GetString().Should().Be("cron(30 6 ? * MON-FRI *)");
        var errors = root.GetProperty("errors");
        errors.GetProperty("bad_cron")[0].GetString().Should().Be("InvalidInputException");
        errors.GetProperty("bad_cron")[1].GetString().Should().Contain("cron(61 * * * ? *)");
        errors.GetProperty("not_cron")[0].GetString().Should().Be("InvalidInputException");
        errors.GetProperty("bad_update_cron")[0].GetString().Should().Be("InvalidInputException");
        errors.GetProperty("no_actions")[0].GetString().Should().Be("InvalidInputException");
        errors.GetProperty("missing_job")[0].GetString().Should().Be("EntityNotFoundException");
        errors.GetProperty("no_predicate")[0].GetString().Should().Be("InvalidInputException");
        errors.GetProperty("duplicate")[0].GetString().Should().Be("AlreadyExistsException");
        errors.GetProperty("missing")[0].GetString().Should().Be("EntityNotFoundException");
        errors.GetProperty("stop_on_demand")[0].GetString().Should().Be("InvalidInputException");
        errors.GetProperty("start_workflow_without_trigger")[0].GetString().Should().Be("IllegalWorkflowStateException");
        errors.GetProperty("duplicate_workflow")[0].GetString().Should().Be("AlreadyExistsException");
        errors.GetProperty("trigger_of_missing_workflow")[0].GetString().Should().Be("EntityNotFoundException");
        errors.GetProperty("second_workflow_run")[0].GetString().Should().Be("ConcurrentRunsExceededException");
        errors.GetProperty("workflow_gone")[0].GetString().Should().Be("EntityNotFoundException");
        root.GetProperty("workflow").GetRawText().Should().Be("""["flow", "d", {"day": "1"}, 1]""");
        Names(root, "nodes").Should().Equal("job:a", "job:b", "trigger:flow-next", "trigger:flow-start");
        Names(root, "edges").Should().Equal("job:a>trigger:flow-next", "trigger:flow-next>job:b", "trigger:flow-start>job:a");
        root.GetProperty("workflow_run").GetRawText().Should().Be("""["RUNNING", {"day": "1", "extra": "2"}, 1, 1]""");
        root.GetProperty("job_a_runs_in_graph").GetRawText().Should().Be("[1]");
        Names(root, "runs_of_a").Should().Equal("flow-start");
        root.GetProperty("properties").GetRawText().Should().Be("""{"day": "7", "extra": "2"}""");
        root.GetProperty("workflow_runs").GetInt32().Should().Be(1);
        Names(root, "workflows").Should().Equal("empty", "flow");
        root.GetProperty("updated_workflow").GetString().Should().Be("changed");
        Names(root, "triggers_after_delete").Should().Equal("after-a", "manual", "nightly");
        Names(root, "after_delete").Should().Equal("after-a", "nightly");
    }

    private static List<string> Names(JsonElement root, string property) =>
        [.. root.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    private static string Error(JsonElement errors, string name) =>
        errors.GetProperty(name).ValueKind == JsonValueKind.Array
            ? $"{errors.GetProperty(name)[0].GetString()} {errors.GetProperty(name)[1].GetInt32()}"
            : errors.GetProperty(name).GetString()!;
}
