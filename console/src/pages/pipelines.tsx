import { useState } from "preact/hooks";
import { deadLetters, pipelines, replayDeadLetters, type PipelineSummary, type ReplayOutcome } from "../api";
import { Card, ErrorBox, Graph, Loading, Stat } from "../components";
import { num, time } from "../format";
import { useLoad } from "../hooks";
import { href, seg } from "../router";

export function Pipelines({ route }: { route: string[] }) {
  const list = useLoad(pipelines, [], 3000);
  const selected = route[0];
  const pipeline = list.data?.find((p) => p.name === selected);
  return (
    <div class="page">
      <h1>Pipelines</h1>
      <ErrorBox error={list.error} />
      <Loading when={list.loading && !list.data} />
      <div class="split">
        <nav aria-label="pipelines" class="side">
          <ul>
            {(list.data ?? []).map((p) => (
              <li key={p.name}>
                <a href={href(`/pipelines/${seg(p.name)}`)} aria-current={p.name === selected ? "page" : undefined}>
                  {p.name}
                </a>
              </li>
            ))}
          </ul>
          {list.data && list.data.length === 0 ? <p>No pipeline has written to the serving layer, and no job names a spec.</p> : null}
        </nav>
        <div class="main">
          {pipeline ? <PipelineDetail pipeline={pipeline} /> : selected && list.data ? <p>No pipeline named {selected}.</p> : <p class="muted">Choose a pipeline.</p>}
        </div>
      </div>
    </div>
  );
}

function PipelineDetail({ pipeline }: { pipeline: PipelineSummary }) {
  const flow = pipeline.flow;
  const edges: [string, string][] = [];
  const sources = flow.filter((n) => n.kind === "source");
  const sinks = flow.filter((n) => n.kind === "sink");
  const middle = flow.filter((n) => n.kind !== "source" && n.kind !== "sink");
  const firstMiddle = middle[0]?.id;
  for (const s of sources) if (firstMiddle) edges.push([s.id, firstMiddle]);
  for (let i = 0; i + 1 < middle.length; i++) edges.push([middle[i].id, middle[i + 1].id]);
  const last = middle[middle.length - 1]?.id;
  for (const k of sinks) {
    if (last) edges.push([last, k.id]);
    else for (const s of sources) edges.push([s.id, k.id]);
  }
  return (
    <>
      <h2>{pipeline.name}</h2>
      <div class="stats">
        <Stat label="dead letters" value={num(pipeline.deadLetters)} testId="pipeline-dead-letters" />
        <Stat label="committed offsets" value={num(pipeline.committedOffsets)} testId="pipeline-offsets" />
        <Stat label="lag" value={num(pipeline.lag)} testId="pipeline-lag" />
        <Stat label="last commit" value={time(pipeline.lastCommit)} />
        <Stat label="job" value={pipeline.job ?? "–"} />
      </div>
      <Card title="Flow" wide>
        {flow.length ? (
          <Graph
            nodes={flow.map((n) => ({ id: n.id, label: n.label, sub: n.detail, tone: n.kind }))}
            edges={edges}
            title={`flow of ${pipeline.name}`}
            testId="flow"
          />
        ) : (
          <p class="muted">
            {pipeline.specError ?? "No spec of this pipeline is known: no job names one, and the speed layer has not recorded one."}
          </p>
        )}
        {pipeline.specFrom === "speed layer" ? (
          <p class="muted" data-testid="spec-from">
            The spec the speed layer recorded when it started this pipeline.
          </p>
        ) : pipeline.specLocation ? (
          <p class="mono" data-testid="spec-from">
            {pipeline.specLocation}
          </p>
        ) : null}
        {pipeline.spec ? (
          <details>
            <summary>Spec</summary>
            <pre class="code">{pipeline.spec}</pre>
          </details>
        ) : null}
      </Card>
      <Card title="Serving views" wide>
        <div class="table-wrap">
        <table data-testid="views">
          <thead>
            <tr>
              <th scope="col">view</th>
              <th scope="col">watermark</th>
              <th scope="col">rows</th>
              <th scope="col">batch rows</th>
              <th scope="col">speed rows</th>
              <th scope="col">swapped</th>
            </tr>
          </thead>
          <tbody>
            {pipeline.views.map((v) => (
              <tr key={v.name}>
                <td>{v.name}</td>
                <td>{v.watermark ? time(v.watermark) : "none (speed only)"}</td>
                <td class="num">{num(v.rows)}</td>
                <td class="num">{num(v.batchRows)}</td>
                <td class="num">{num(v.speedRows)}</td>
                <td>{time(v.swappedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </Card>
      <DeadLetters name={pipeline.name} total={pipeline.deadLetters} />
    </>
  );
}

function DeadLetters({ name, total }: { name: string; total: number }) {
  const [reason, setReason] = useState<string | null>(null);
  const page = useLoad(() => deadLetters(name, reason), [name, reason, total]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ReplayOutcome | null>(null);
  const [replayError, setReplayError] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const listed = page.data?.letters.length ?? 0;
  const replay = async () => {
    setBusy(true);
    setReplayError(null);
    setOutcome(null);
    try {
      setOutcome(await replayDeadLetters(name, reason));
      page.reload();
    } catch (e) {
      setReplayError(`Replay: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <Card title="Dead letters" wide>
      <ErrorBox error={page.error} />
      <div class="actions">
        <button type="button" onClick={() => setConfirming(true)} disabled={busy || confirming || listed === 0} data-testid="replay">
          Replay {reason ? "these" : "all"}…
        </button>
      </div>
      {confirming ? (
        <div class="confirm" role="alertdialog" aria-labelledby="replay-question" data-testid="replay-confirmation">
          <p id="replay-question">
            Replay the speed layer's dead letters of {name}
            {reason ? ` whose reason or stage contains “${reason}”` : ""} through the pipeline? Those that pass now are written to its serving view and
            leave the dead letters; the others stay, with the reason they fail for now.
          </p>
          <button type="button" onClick={replay} disabled={busy} data-testid="replay-confirm" ref={(b) => b?.focus()}>
            Replay
          </button>{" "}
          <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
            Cancel
          </button>
        </div>
      ) : null}
      {outcome ? (
        <div role="status" data-testid="replay-result" class="ok">
          <p>
            Tried {num(outcome.selected)}: replayed {num(outcome.replayed)} ({num(outcome.rows)} {outcome.rows === 1 ? "row" : "rows"} written), still dead {num(outcome.stillDead.reduce((a, r) => a + r.count, 0))}.
          </p>
          {outcome.stillDead.length ? (
            <ul>
              {outcome.stillDead.slice(0, 10).map((r) => (
                <li key={r.reason}>
                  {r.reason} ({num(r.count)})
                </li>
              ))}
              {outcome.stillDead.length > 10 ? <li>and {num(outcome.stillDead.length - 10)} more reasons</li> : null}
            </ul>
          ) : null}
        </div>
      ) : null}
      <ErrorBox error={replayError} />
      <form
        class="actions"
        role="search"
        aria-label="dead letters"
        onSubmit={(e) => {
          e.preventDefault();
          setReason(draft.trim() || null);
        }}
      >
        <label>
          Reason or stage contains
          <input type="search" value={draft} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} data-testid="dead-letter-filter" />
        </label>
        <button type="submit">Filter</button>
      </form>
      <label>
        Reason{" "}
        <select
          value={reason ?? ""}
          onChange={(e) => {
            const value = (e.target as HTMLSelectElement).value;
            setReason(value || null);
            setDraft(value);
          }}
          data-testid="dead-letter-reason"
        >
          <option value="">every reason ({num(page.data?.total ?? total)})</option>
          {reason && page.data && !page.data.reasons.some((r) => r.reason === reason) ? <option value={reason}>contains “{reason}”</option> : null}
          {(page.data?.reasons ?? []).map((r) => (
            <option key={r.reason} value={r.reason}>
              {r.reason.length > 80 ? r.reason.slice(0, 79) + "…" : r.reason} ({r.count})
            </option>
          ))}
        </select>
      </label>
      <div class="table-wrap">
        <table data-testid="dead-letters">
        <thead>
          <tr>
            <th scope="col">source</th>
            <th scope="col">partition</th>
            <th scope="col">offset / row</th>
            <th scope="col">stage</th>
            <th scope="col">reason</th>
            <th scope="col">at</th>
          </tr>
        </thead>
        <tbody>
          {(page.data?.letters ?? []).map((d) => (
            <tr key={d.id}>
              <td>{d.source ?? ""}</td>
              <td class="num">{d.partition ?? ""}</td>
              <td class="num">{d.offset ?? ""}</td>
              <td>{d.stage}</td>
              <td>
                {d.reason}
                {d.record ? (
                  <details>
                    <summary>record</summary>
                    <pre class="code">{d.record}</pre>
                  </details>
                ) : null}
              </td>
              <td>{time(d.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
        </div>
    </Card>
  );
}
