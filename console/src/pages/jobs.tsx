import { useEffect, useState } from "preact/hooks";
import { glue, glueAll, runLog, type ConsoleInfo, type RunLogLine } from "../api";
import { ErrorBox, Graph, Loading, StateBadge, type GraphNode } from "../components";
import { duration, num, time } from "../format";
import { useLoad } from "../hooks";
import { href, seg } from "../router";

// Glue's documented shapes (GetJobs, GetJobRuns, GetWorkflow), the parts the console shows.
export interface Job {
  Name: string;
  Description?: string;
  Command?: { Name?: string; ScriptLocation?: string };
  MaxRetries?: number;
  Timeout?: number;
  DefaultArguments?: Record<string, string>;
  ExecutionProperty?: { MaxConcurrentRuns?: number };
}
export interface JobsResponse {
  Jobs?: Job[];
  NextToken?: string;
}
export interface JobRun {
  Id: string;
  Attempt?: number;
  JobName: string;
  JobRunState: string;
  StartedOn?: number;
  CompletedOn?: number;
  ExecutionTime?: number;
  ErrorMessage?: string;
  Arguments?: Record<string, string>;
  /** A Streams extension of Glue's JobRun: what the run processed. */
  Metrics?: { RecordsIn?: number; RecordsOut?: number; DeadLetters?: number };
}
export interface JobRunsResponse {
  JobRuns?: JobRun[];
  NextToken?: string;
}
const activeStates = new Set(["STARTING", "RUNNING", "STOPPING", "WAITING"]);

export function Jobs({ info, route }: { info: ConsoleInfo; route: string[] }) {
  if (!info.jobsServed) {
    return (
      <div class="page">
        <h1>Jobs</h1>
        <p class="muted">This host serves no Glue jobs API (GetJobs) yet.</p>
      </div>
    );
  }
  if (route[0] === "workflows" && route[1]) return <WorkflowPage name={route[1]} />;
  return route[0] ? <JobPage name={route[0]} /> : <JobList info={info} />;
}

function JobList({ info }: { info: ConsoleInfo }) {
  const jobs = useLoad(() => glueAll<Job>("GetJobs", {}, "Jobs"), [], 5000);
  const workflows = useLoad(async () => (info.workflowsServed ? glueAll<string>("ListWorkflows", {}, "Workflows") : []), [info.workflowsServed]);
  return (
    <div class="page">
      <h1>Jobs</h1>
      <ErrorBox error={jobs.error} />
      <Loading when={jobs.loading && !jobs.data} />
      <table data-testid="jobs">
        <thead>
          <tr>
            <th scope="col">name</th>
            <th scope="col">type</th>
            <th scope="col">pipeline spec</th>
            <th scope="col">retries</th>
            <th scope="col">timeout</th>
          </tr>
        </thead>
        <tbody>
          {(jobs.data ?? []).map((j) => (
            <tr key={j.Name}>
              <td>
                <a href={href(`/jobs/${seg(j.Name)}`)}>{j.Name}</a>
              </td>
              <td>{j.Command?.Name === "gluestreaming" ? "streaming" : j.Command?.Name === "glueetl" ? "batch" : (j.Command?.Name ?? "")}</td>
              <td class="mono">{j.Command?.ScriptLocation ?? ""}</td>
              <td class="num">{j.MaxRetries ?? 0}</td>
              <td class="num">{j.Timeout ? `${j.Timeout} min` : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {jobs.data && jobs.data.length === 0 ? <p>No jobs yet: create one with `aws glue create-job` or boto3.</p> : null}
      {info.workflowsServed ? (
        <>
          <h2>Workflows</h2>
          <ErrorBox error={workflows.error} />
          <ul>
            {(workflows.data ?? []).map((w) => (
              <li key={w}>
                <a href={href(`/jobs/workflows/${seg(w)}`)}>{w}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function JobPage({ name }: { name: string }) {
  const job = useLoad(() => glue<{ Job: Job }>("GetJob", { JobName: name }), [name]);
  const runs = useLoad(() => glueAll<JobRun>("GetJobRuns", { JobName: name }, "JobRuns"), [name], 2000);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [args, setArgs] = useState("");
  const [logOf, setLogOf] = useState<string | null>(null);

  const act = async (what: string, call: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await call());
      runs.reload();
    } catch (e) {
      setError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };
  const start = () =>
    act("Start", async () => {
      const parsed: Record<string, string> = {};
      for (const line of args.split("\n").map((l) => l.trim()).filter(Boolean)) {
        const eq = line.indexOf("=");
        if (eq < 1) throw new Error(`argument '${line}' is not --name=value`);
        parsed[line.slice(0, eq)] = line.slice(eq + 1);
      }
      const r = await glue<{ JobRunId: string }>("StartJobRun", { JobName: name, Arguments: parsed });
      return `Started run ${r.JobRunId}`;
    });
  const active = (runs.data ?? []).filter((r) => activeStates.has(r.JobRunState));
  const stop = () =>
    act("Stop", async () => {
      const r = await glue<{ SuccessfulSubmissions?: { JobRunId: string }[]; Errors?: { JobRunId: string; ErrorDetail?: { ErrorMessage?: string } }[] }>(
        "BatchStopJobRun",
        { JobName: name, JobRunIds: active.map((a) => a.Id) },
      );
      if (r.Errors?.length) throw new Error(r.Errors.map((e) => `${e.JobRunId}: ${e.ErrorDetail?.ErrorMessage ?? "refused"}`).join("; "));
      return `Stopping ${(r.SuccessfulSubmissions ?? []).map((s) => s.JobRunId).join(", ")}`;
    });
  const reset = () =>
    act("Reset bookmark", async () => {
      await glue("ResetJobBookmark", { JobName: name });
      return "Bookmark reset: the next incremental run reads everything again.";
    });

  const j = job.data?.Job;
  return (
    <div class="page">
      <p>
        <a href={href("/jobs")}>← Jobs</a>
      </p>
      <h1>Job {name}</h1>
      <ErrorBox error={job.error} />
      {j ? (
        <dl class="facts">
          <dt>type</dt>
          <dd>{j.Command?.Name}</dd>
          <dt>pipeline spec</dt>
          <dd class="mono">{j.Command?.ScriptLocation}</dd>
          <dt>max retries</dt>
          <dd>{j.MaxRetries ?? 0}</dd>
          <dt>max concurrent runs</dt>
          <dd>{j.ExecutionProperty?.MaxConcurrentRuns ?? 1}</dd>
          <dt>default arguments</dt>
          <dd class="mono">{Object.entries(j.DefaultArguments ?? {}).map(([k, v]) => `${k}=${v}`).join(" ") || "none"}</dd>
        </dl>
      ) : null}
      <div class="actions">
        <label>
          Run arguments (one --name=value a line)
          <textarea rows={2} value={args} onInput={(e) => setArgs((e.target as HTMLTextAreaElement).value)} />
        </label>
        <button type="button" onClick={start} disabled={busy} data-testid="start-run">
          Start run
        </button>
        <button type="button" onClick={stop} disabled={busy || active.length === 0} data-testid="stop-run">
          Stop {active.length > 0 ? `${active.length} active run${active.length > 1 ? "s" : ""}` : "runs"}
        </button>
        <button type="button" onClick={reset} disabled={busy}>
          Reset bookmark
        </button>
      </div>
      {message ? (
        <p class="ok" role="status">
          {message}
        </p>
      ) : null}
      <ErrorBox error={error} />
      <h2>Runs</h2>
      <ErrorBox error={runs.error} />
      <table data-testid="runs">
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">attempt</th>
            <th scope="col">state</th>
            <th scope="col">started</th>
            <th scope="col">completed</th>
            <th scope="col">duration</th>
            <th scope="col">metrics</th>
            <th scope="col">error</th>
            <th scope="col">log</th>
          </tr>
        </thead>
        <tbody>
          {(runs.data ?? []).map((r) => (
            <tr key={r.Id} data-state={r.JobRunState}>
              <td class="mono">{r.Id}</td>
              <td class="num">{r.Attempt ?? 0}</td>
              <td>
                <StateBadge state={r.JobRunState} />
              </td>
              <td>{time(r.StartedOn)}</td>
              <td>{time(r.CompletedOn)}</td>
              <td>{duration(r.ExecutionTime ?? (r.StartedOn && !r.CompletedOn ? Date.now() / 1000 - r.StartedOn : undefined))}</td>
              <td class="num" data-testid="run-metrics">
                {r.Metrics ? `${num(r.Metrics.RecordsIn)} in, ${num(r.Metrics.RecordsOut)} out, ${num(r.Metrics.DeadLetters)} dead` : "–"}
              </td>
              <td>{r.ErrorMessage ?? ""}</td>
              <td>
                <button
                  type="button"
                  aria-expanded={logOf === r.Id}
                  aria-controls="run-log"
                  onClick={() => setLogOf(logOf === r.Id ? null : r.Id)}
                  data-testid="show-log"
                >
                  {logOf === r.Id ? "Hide log" : "Log"}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {logOf ? <RunLogPanel job={name} run={logOf} /> : null}
    </div>
  );
}

/** A run's log, as streams jobs logs prints it, followed (new lines appended) while the run is not final. */
function RunLogPanel({ job, run }: { job: string; run: string }) {
  const [lines, setLines] = useState<RunLogLine[]>([]);
  const [state, setState] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let after = 0;
    let stopped = false;
    let timer: number | undefined;
    setLines([]);
    setState(null);
    const poll = async () => {
      let final = false;
      try {
        const log = await runLog(job, run, after);
        if (stopped) return;
        if (log.lines.length) {
          after = log.lines[log.lines.length - 1].sequence;
          setLines((old) => [...old, ...log.lines]);
        }
        setState(log.state);
        setError(null);
        final = !activeStates.has(log.state);
      } catch (e) {
        if (stopped) return;
        setError(e instanceof Error ? e.message : String(e));
      }
      // One more read after the run ends catches the lines written with its final state.
      if (!stopped && !final) timer = window.setTimeout(poll, 1500);
    };
    poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [job, run]);
  return (
    <section id="run-log" aria-label={`log of run ${run}`}>
      <h2>
        Log of {run} {state ? <StateBadge state={state} /> : null}
      </h2>
      <ErrorBox error={error} />
      <pre class="code log" data-testid="run-log" data-state={state ?? ""} tabIndex={0}>
        {lines.map((l) => `${new Date(l.at).toISOString()} ${l.message}`).join("\n")}
      </pre>
      {state && activeStates.has(state) ? <p class="muted">Following: new lines appear as the run writes them.</p> : null}
    </section>
  );
}

interface WorkflowNode {
  Type: string;
  Name: string;
  UniqueId: string;
  JobDetails?: { JobRuns?: { JobRunState: string; StartedOn?: number }[] };
  CrawlerDetails?: { Crawls?: { State: string; StartedOn?: number }[] };
}
interface WorkflowGraph {
  Nodes?: WorkflowNode[];
  Edges?: { SourceId: string; DestinationId: string }[];
}

/** The state of a node in a workflow run's graph: its job's latest run, or its crawler's latest crawl. */
function nodeState(node: WorkflowNode | undefined): string | undefined {
  const runs = node?.JobDetails?.JobRuns ?? [];
  const crawls = node?.CrawlerDetails?.Crawls ?? [];
  const latest = <T extends { StartedOn?: number | string }>(items: T[]) =>
    [...items].sort((a, b) => new Date(b.StartedOn ?? 0).getTime() - new Date(a.StartedOn ?? 0).getTime())[0];
  return latest(runs)?.JobRunState ?? latest(crawls)?.State;
}

function WorkflowPage({ name }: { name: string }) {
  const wf = useLoad(
    () =>
      glue<{ Workflow: { Name: string; Description?: string; Graph?: WorkflowGraph; LastRun?: { WorkflowRunId?: string; Status?: string; Graph?: WorkflowGraph } } }>(
        "GetWorkflow",
        { Name: name, IncludeGraph: true },
      ),
    [name],
    3000,
  );
  const graph = wf.data?.Workflow.Graph;
  const runNodes = new Map((wf.data?.Workflow.LastRun?.Graph?.Nodes ?? []).map((n) => [n.UniqueId, n]));
  const nodes: GraphNode[] = (graph?.Nodes ?? []).map((n) => ({
    id: n.UniqueId,
    label: n.Name,
    sub: n.Type.toLowerCase(),
    tone: n.Type.toLowerCase(),
    state: nodeState(runNodes.get(n.UniqueId)),
  }));
  const edges: [string, string][] = (graph?.Edges ?? []).map((e) => [e.SourceId, e.DestinationId]);
  return (
    <div class="page">
      <p>
        <a href={href("/jobs")}>← Jobs</a>
      </p>
      <h1>Workflow {name}</h1>
      <ErrorBox error={wf.error} />
      {wf.data?.Workflow.LastRun?.Status ? (
        <p>
          last run <StateBadge state={wf.data.Workflow.LastRun.Status} />
        </p>
      ) : null}
      {nodes.length ? <Graph nodes={nodes} edges={edges} title={`workflow ${name}`} testId="workflow-graph" /> : <p>The workflow has no nodes.</p>}
      {nodes.length ? (
        <table data-testid="workflow-nodes">
          <caption>
            {wf.data?.Workflow.LastRun?.WorkflowRunId ? `Nodes, with their state in run ${wf.data.Workflow.LastRun.WorkflowRunId}` : "Nodes (no run yet)"}
          </caption>
          <thead>
            <tr>
              <th scope="col">node</th>
              <th scope="col">type</th>
              <th scope="col">starts or watches</th>
              <th scope="col">state</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((n) => (
              <tr key={n.id} data-node={n.id}>
                <td>{n.label}</td>
                <td>{n.sub}</td>
                <td>
                  {[
                    ...edges.filter(([, to]) => to === n.id).map(([from]) => `← ${nodes.find((x) => x.id === from)?.label ?? from}`),
                    ...edges.filter(([from]) => from === n.id).map(([, to]) => `→ ${nodes.find((x) => x.id === to)?.label ?? to}`),
                  ].join(", ")}
                </td>
                <td>{n.state ? <StateBadge state={n.state} /> : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
