import { useRef } from "preact/hooks";
import { glue, pipelines, status, type ConsoleInfo, type PipelineStatus } from "../api";
import { Card, ErrorBox, Sparkline, Stat, StateBadge } from "../components";
import { ms, num, time } from "../format";
import { useLoad } from "../hooks";
import { href, seg } from "../router";
import type { JobRun, JobsResponse, JobRunsResponse } from "./jobs";

const historyLength = 150; // 5 minutes at one sample every 2 s
const pollMs = 2000;

interface Sample {
  at: number;
  rps: number;
  lag: number | null;
  p99: number | null;
}

/**
 * Live numbers per pipeline. From GET /api/status where the host serves it; otherwise derived from the
 * serving layer (committed source offsets per second, dead letters, last commit) and what the processes running a
 * pipeline report to PostgreSQL (records/s, freshness), which needs no status endpoint.
 */
export function Overview({ info }: { info: ConsoleInfo }) {
  const history = useRef(new Map<string, Sample[]>());
  const previous = useRef(new Map<string, { at: number; offsets: number }>());
  const live = useLoad<PipelineStatus[]>(async () => {
    const now = Date.now();
    // The host's own speed layers first; pipelines running elsewhere (streams stream) from the serving layer.
    const hosted = info.statusServed ? await status() : [];
    const names = new Set(hosted.map((p) => p.name));
    const derived = (await pipelines())
      .filter((p) => !names.has(p.name))
      .map((p): PipelineStatus => {
        const before = previous.current.get(p.name);
        previous.current.set(p.name, { at: now, offsets: p.committedOffsets });
        const rps = before && now > before.at ? ((p.committedOffsets - before.offsets) * 1000) / (now - before.at) : 0;
        return {
          name: p.name,
          state: p.lastCommit && now - Date.parse(p.lastCommit) < 60_000 ? "RUNNING" : "IDLE",
          // Measured by the processes running it, when they reported; else committed offsets per second.
          recordsPerSecond: p.recordsPerSecond ?? Math.max(rps, 0),
          lag: p.lag,
          freshnessP50Ms: p.freshnessP50Ms,
          freshnessP99Ms: p.freshnessP99Ms,
          deadLetters: p.deadLetters,
          lastCommit: p.lastCommit,
          origin: "serving",
        };
      });
    const rows = [...hosted, ...derived];
    for (const r of rows) {
      const samples = history.current.get(r.name) ?? [];
      samples.push({ at: now, rps: r.recordsPerSecond, lag: r.lag ?? null, p99: r.freshnessP99Ms ?? null });
      if (samples.length > historyLength) samples.shift();
      history.current.set(r.name, samples);
    }
    return rows;
  }, [info.statusServed], pollMs);

  const jobs = useLoad(async () => {
    if (!info.jobsServed) return [] as { name: string; run: JobRun | undefined }[];
    const list = await glue<JobsResponse>("GetJobs", {});
    return Promise.all(
      (list.Jobs ?? []).map(async (j) => ({
        name: j.Name,
        run: (await glue<JobRunsResponse>("GetJobRuns", { JobName: j.Name, MaxResults: 1 })).JobRuns?.[0],
      })),
    );
  }, [info.jobsServed], 5000);

  return (
    <div class="page">
      <h1>Overview</h1>
      <p class="muted">
        Live numbers, every {pollMs / 1000} s: measured by the speed layer for pipelines this host runs
        {info.statusServed ? "" : " (this host serves no /api/status)"}, derived from committed offsets for the others.
      </p>
      <ErrorBox error={live.error} />
      {live.data && live.data.length === 0 ? <p>No pipeline has written to the serving layer yet.</p> : null}
      <div class="cards">
        {(live.data ?? []).map((p) => {
          const samples = history.current.get(p.name) ?? [];
          return (
            <Card key={p.name} title={p.name}>
              <div data-testid={`pipeline-${p.name}`}>
                <p>
                  <StateBadge state={p.state} /> <span class="muted">{p.origin === "host" ? "in this host" : "from the serving layer"}</span>{" "}
                  <a href={href(`/pipelines/${seg(p.name)}`)}>details</a>
                </p>
                <div class="stats">
                  <Stat label="records/s" value={num(p.recordsPerSecond, 1)} testId="rps" />
                  <Stat label="lag" value={num(p.lag)} testId="lag" />
                  <Stat label="freshness p50" value={ms(p.freshnessP50Ms)} testId="freshness-p50" />
                  <Stat label="freshness p99" value={ms(p.freshnessP99Ms)} testId="freshness-p99" />
                  <Stat label="dead letters" value={num(p.deadLetters)} testId="dead-letters" />
                  <Stat label="last commit" value={time(p.lastCommit)} testId="last-commit" />
                </div>
                <div class="sparks">
                  <figure>
                    <Sparkline values={samples.map((s) => s.rps)} label="records per second" />
                    <figcaption>records/s, last {Math.round((samples.length * pollMs) / 1000)} s</figcaption>
                  </figure>
                  {samples.some((s) => s.lag !== null) ? (
                    <figure>
                      <Sparkline values={samples.map((s) => s.lag ?? 0)} label="consumer lag" />
                      <figcaption>lag</figcaption>
                    </figure>
                  ) : null}
                  {samples.some((s) => s.p99 !== null) ? (
                    <figure>
                      <Sparkline values={samples.map((s) => s.p99 ?? 0)} label="freshness p99 ms" />
                      <figcaption>freshness p99</figcaption>
                    </figure>
                  ) : null}
                </div>
              </div>
            </Card>
          );
        })}
      </div>
      <h2>Jobs</h2>
      {!info.jobsServed ? (
        <p class="muted">This host serves no Glue jobs API yet.</p>
      ) : (
        <>
          <ErrorBox error={jobs.error} />
          <table data-testid="overview-jobs">
            <thead>
              <tr>
                <th scope="col">job</th>
                <th scope="col">last run</th>
                <th scope="col">started</th>
                <th scope="col">error</th>
              </tr>
            </thead>
            <tbody>
              {(jobs.data ?? []).map((j) => (
                <tr key={j.name}>
                  <td>
                    <a href={href(`/jobs/${seg(j.name)}`)}>{j.name}</a>
                  </td>
                  <td>{j.run ? <StateBadge state={j.run.JobRunState} /> : "never run"}</td>
                  <td>{time(j.run?.StartedOn)}</td>
                  <td>{j.run?.ErrorMessage ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
