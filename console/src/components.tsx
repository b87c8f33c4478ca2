import type { ComponentChildren } from "preact";
import { cell, num } from "./format";
import { diffLines } from "./diff";

export function ErrorBox({ error }: { error: string | null | undefined }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;
}

export function Loading({ when }: { when: boolean }) {
  return when ? <p class="muted" aria-live="polite">Loading…</p> : null;
}

export function Card({ title, children, wide }: { title: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <section class={wide ? "card wide" : "card"} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div class="stat">
      <span class="stat-label">{label}</span>
      <span class="stat-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

function stateTone(state: string): string {
  const s = state.toUpperCase();
  return /FAIL|ERROR|TIMEOUT/.test(s) ? "bad" : /RUN|START|STOPPING|ACTIVE|READY|SUCCEEDED/.test(s) ? "good" : "neutral";
}

export function StateBadge({ state }: { state: string | null | undefined }) {
  const s = (state ?? "UNKNOWN").toUpperCase();
  return <span class={`badge ${stateTone(s)}`}>{s}</span>;
}

/** A small line of the last values, with its latest value as text for screen readers. */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const w = 160;
  const h = 36;
  if (values.length < 2) return <svg class="spark" width={w} height={h} role="img" aria-label={`${label}: not enough data yet`} />;
  const max = Math.max(...values, 1e-9);
  const min = Math.min(...values, 0);
  const x = (i: number) => (i / (values.length - 1)) * (w - 2) + 1;
  const y = (v: number) => h - 2 - ((v - min) / (max - min || 1)) * (h - 4);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  return (
    <svg class="spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}: latest ${num(values[values.length - 1], 1)}`}>
      <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}

export interface Series {
  name: string;
  values: (number | null)[];
}

/** A line or bar chart over categories or times, drawn as SVG with axis labels. */
export function Chart({ kind, labels, series, title }: { kind: "line" | "bar"; labels: string[]; series: Series[]; title: string }) {
  const w = 640;
  const h = 260;
  const left = 72;
  const bottom = 44;
  const top = 12;
  const right = 12;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = Math.max(...all, 0);
  const min = Math.min(...all, 0);
  const span = max - min || 1;
  const plotW = w - left - right;
  const plotH = h - top - bottom;
  const y = (v: number) => top + plotH - ((v - min) / span) * plotH;
  const n = labels.length;
  const band = plotW / Math.max(n, 1);
  const cx = (i: number) => left + band * i + band / 2;
  const colors = ["#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed"];
  const ticks = [min, min + span / 2, max];
  const every = Math.max(1, Math.ceil(n / 6));
  return (
    <figure class="chart" data-testid="chart" data-kind={kind}>
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${kind} chart: ${title}`} preserveAspectRatio="xMidYMid meet">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={w - right} y1={y(t)} y2={y(t)} class="grid" />
            <text x={left - 6} y={y(t) + 4} text-anchor="end" class="axis">
              {Math.abs(t) >= 10000 ? t.toLocaleString("en-US", { notation: "compact", maximumFractionDigits: 1 }) : num(t, 2)}
            </text>
          </g>
        ))}
        {labels.map((l, i) =>
          i % every === 0 ? (
            <text key={i} x={cx(i)} y={h - bottom + 16} text-anchor="middle" class="axis">
              {l.length > 16 ? l.slice(0, 15) + "…" : l}
            </text>
          ) : null,
        )}
        {kind === "bar"
          ? series.map((s, si) =>
              s.values.map((v, i) => {
                if (v === null) return null;
                const bw = (band * 0.8) / series.length;
                const x0 = left + band * i + band * 0.1 + bw * si;
                return <rect key={`${si}-${i}`} x={x0} width={Math.max(bw, 1)} y={Math.min(y(v), y(0))} height={Math.abs(y(v) - y(0))} fill={colors[si % colors.length]} />;
              }),
            )
          : series.map((s, si) => (
              <polyline
                key={s.name}
                fill="none"
                stroke={colors[si % colors.length]}
                stroke-width="2"
                points={s.values
                  .map((v, i) => (v === null ? null : `${cx(i).toFixed(1)},${y(v).toFixed(1)}`))
                  .filter((p) => p !== null)
                  .join(" ")}
              />
            ))}
      </svg>
      <figcaption>
        {series.map((s, si) => (
          <span key={s.name} class="legend">
            <span class="swatch" style={{ background: colors[si % colors.length] }} />
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function DataTable({ columns, rows, caption, testId }: { columns: string[]; rows: unknown[][]; caption?: string; testId?: string }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption ?? "table"}>
      <table data-testid={testId}>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((v, j) => (
                <td key={j} class={typeof v === "number" ? "num" : undefined}>
                  {cell(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DiffView({ before, after, testId }: { before: string; after: string; testId?: string }) {
  const lines = diffLines(before, after);
  return (
    <pre class="diff" data-testid={testId} aria-label="differences">
      {lines.map((l, i) => (
        <div key={i} class={`diff-${l.kind}`}>
          {l.kind === "added" ? "+ " : l.kind === "removed" ? "- " : "  "}
          {l.text}
        </div>
      ))}
    </pre>
  );
}

export interface GraphNode {
  id: string;
  label: string;
  sub?: string;
  tone?: string;
  /** A run state shown on the box (a workflow run's job or crawl), when there is one. */
  state?: string;
}

/** A directed graph drawn left to right in layers (longest path from the roots). */
export function Graph({ nodes, edges, title, testId }: { nodes: GraphNode[]; edges: [string, string][]; title: string; testId?: string }) {
  const layer = new Map<string, number>();
  nodes.forEach((n) => layer.set(n.id, 0));
  for (let pass = 0; pass < nodes.length; pass++) {
    let changed = false;
    for (const [from, to] of edges) {
      const next = (layer.get(from) ?? 0) + 1;
      if (layer.has(to) && next > (layer.get(to) ?? 0) && next < nodes.length) {
        layer.set(to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns = new Map<number, GraphNode[]>();
  nodes.forEach((n) => {
    const l = layer.get(n.id) ?? 0;
    columns.set(l, [...(columns.get(l) ?? []), n]);
  });
  const boxW = 132;
  const withStates = nodes.some((n) => n.state);
  const boxH = withStates ? 60 : 46;
  const gapX = 28;
  const gapY = 18;
  const pos = new Map<string, { x: number; y: number }>();
  let maxRows = 1;
  columns.forEach((col, l) => {
    maxRows = Math.max(maxRows, col.length);
    col.forEach((n, i) => pos.set(n.id, { x: 8 + l * (boxW + gapX), y: 8 + i * (boxH + gapY) }));
  });
  const width = 16 + columns.size * (boxW + gapX) - gapX;
  const height = 16 + maxRows * (boxH + gapY) - gapY;
  return (
    <div class="graph-wrap" tabIndex={0} role="region" aria-label={title}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} data-testid={testId}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#64748b" />
          </marker>
        </defs>
        {edges.map(([from, to], i) => {
          const a = pos.get(from);
          const b = pos.get(to);
          if (!a || !b) return null;
          return <line key={i} x1={a.x + boxW} y1={a.y + boxH / 2} x2={b.x} y2={b.y + boxH / 2} class="edge" marker-end="url(#arrow)" />;
        })}
        {nodes.map((n) => {
          const p = pos.get(n.id)!;
          return (
            <g key={n.id} class={`node ${n.tone ?? ""}`} data-node={n.id} data-state={n.state}>
              <rect x={p.x} y={p.y} width={boxW} height={boxH} rx="6" />
              <text x={p.x + 8} y={p.y + 18}>
                {n.label.length > 18 ? n.label.slice(0, 17) + "…" : n.label}
              </text>
              {n.sub ? (
                <text x={p.x + 8} y={p.y + 35} class="sub">
                  {n.sub.length > 20 ? n.sub.slice(0, 19) + "…" : n.sub}
                </text>
              ) : null}
              {n.state ? (
                <text x={p.x + 8} y={p.y + 52} class={`state ${stateTone(n.state)}`}>
                  {n.state}
                </text>
              ) : null}
              <title>{`${n.label}${n.sub ? ": " + n.sub : ""}${n.state ? " (" + n.state + ")" : ""}`}</title>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
