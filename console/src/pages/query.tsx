import { useState } from "preact/hooks";
import { pipelines, query, queryCsv, type QueryResult } from "../api";
import { Chart, DataTable, ErrorBox } from "../components";
import { cell, num, time } from "../format";
import { useLoad } from "../hooks";

const numericTypes = /^(integer|bigint|smallint|real|double precision|numeric.*)$/;
const timeTypes = /^(timestamp.*|date|time.*)$/;

interface ChartPlan {
  kind: "line" | "bar";
  labelColumn: number;
  valueColumns: number[];
}

/** A line chart over a time column, a bar chart over a category column, with the numeric columns as series. */
export function planChart(result: QueryResult): ChartPlan | null {
  const isNumber = (i: number) =>
    numericTypes.test(result.columns[i].type) || (result.rows.length > 0 && result.rows.every((r) => r[i] === null || typeof r[i] === "number"));
  const values = result.columns.map((_, i) => i).filter(isNumber);
  if (values.length === 0 || result.rows.length === 0) return null;
  const timeColumn = result.columns.findIndex((c) => timeTypes.test(c.type));
  if (timeColumn >= 0) return { kind: "line", labelColumn: timeColumn, valueColumns: values.filter((v) => v !== timeColumn) };
  const category = result.columns.findIndex((_, i) => !values.includes(i));
  if (category >= 0) return { kind: "bar", labelColumn: category, valueColumns: values };
  return null;
}

export function Query() {
  const [sql, setSql] = useState("SELECT name, watermark FROM outputs");
  const [result, setResult] = useState<QueryResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [kind, setKind] = useState<"line" | "bar" | null>(null);
  const views = useLoad(async () => (await pipelines()).flatMap((p) => p.views.map((v) => v.name)), []);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      setResult(await query(sql));
      setKind(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setResult(null);
    } finally {
      setRunning(false);
    }
  };
  const download = async () => {
    try {
      const csv = await queryCsv(sql);
      const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = "query.csv";
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const plan = result ? planChart(result) : null;
  const chartKind = kind ?? plan?.kind ?? "bar";
  return (
    <div class="page">
      <h1>Query</h1>
      <p class="muted">
        Read-only SQL over the serving views{views.data?.length ? `: ${views.data.join(", ")}` : ""}. Ctrl+Enter runs.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <label for="sql">SQL</label>
        <textarea
          id="sql"
          class="mono editor"
          rows={6}
          spellcheck={false}
          value={sql}
          data-testid="sql"
          onInput={(e) => setSql((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              run();
            }
          }}
        />
        <div class="actions">
          <button type="submit" disabled={running} data-testid="run-query">
            {running ? "Running…" : "Run"}
          </button>
          <button type="button" onClick={download} disabled={!result} data-testid="download-csv">
            Download CSV
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {result ? (
        <>
          <p class="muted" data-testid="row-count">
            {num(result.rows.length)} row{result.rows.length === 1 ? "" : "s"}
            {result.truncated ? ", truncated at the row limit" : ""}
          </p>
          {plan && plan.valueColumns.length ? (
            <>
              <div class="inline" role="group" aria-label="chart type">
                <button type="button" aria-pressed={chartKind === "line"} onClick={() => setKind("line")}>
                  Line
                </button>
                <button type="button" aria-pressed={chartKind === "bar"} onClick={() => setKind("bar")}>
                  Bar
                </button>
              </div>
              <Chart
                kind={chartKind}
                title={`${plan.valueColumns.map((i) => result.columns[i].name).join(", ")} by ${result.columns[plan.labelColumn].name}`}
                labels={result.rows.map((r) => (timeTypes.test(result.columns[plan.labelColumn].type) ? time(r[plan.labelColumn] as string).slice(5, 16) : cell(r[plan.labelColumn])))}
                series={plan.valueColumns.map((i) => ({
                  name: result.columns[i].name,
                  values: result.rows.map((r) => (r[i] === null || r[i] === undefined ? null : Number(r[i]))),
                }))}
              />
            </>
          ) : null}
          <DataTable testId="result" columns={result.columns.map((c) => c.name)} rows={result.rows} caption="result" />
        </>
      ) : null}
    </div>
  );
}
