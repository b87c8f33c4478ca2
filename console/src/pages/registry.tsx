import { useState } from "preact/hooks";
import { ApiError, registry } from "../api";
import { Card, DiffView, ErrorBox, Loading } from "../components";
import { pretty } from "../diff";
import { useLoad } from "../hooks";
import { href, seg } from "../router";

interface SubjectVersion {
  subject: string;
  version: number;
  id: number;
  schema: string;
  schemaType?: string;
}

export function Registry({ route }: { route: string[] }) {
  const subjects = useLoad(() => registry<string[]>("/subjects"), [], 5000);
  const global = useLoad(() => registry<{ compatibilityLevel: string }>("/config"), []);
  const selected = route[0];
  return (
    <div class="page">
      <h1>Schema registry</h1>
      <p class="muted">Global compatibility: {global.data?.compatibilityLevel ?? "–"}</p>
      <ErrorBox error={subjects.error} />
      <Loading when={subjects.loading && !subjects.data} />
      <div class="split">
        <nav aria-label="subjects" class="side">
          <ul data-testid="subjects">
            {(subjects.data ?? []).map((s) => (
              <li key={s}>
                <a href={href(`/registry/${seg(s)}`)} aria-current={s === selected ? "page" : undefined}>
                  {s}
                </a>
              </li>
            ))}
          </ul>
          {subjects.data && subjects.data.length === 0 ? <p>No subjects yet.</p> : null}
        </nav>
        <div class="main">{selected ? <Subject subject={selected} /> : <p class="muted">Choose a subject.</p>}</div>
      </div>
    </div>
  );
}

function Subject({ subject }: { subject: string }) {
  const s = seg(subject);
  const versions = useLoad(async () => {
    const numbers = await registry<number[]>(`/subjects/${s}/versions`);
    return Promise.all(numbers.map((v) => registry<SubjectVersion>(`/subjects/${s}/versions/${v}`)));
  }, [subject]);
  const config = useLoad(() => registry<{ compatibilityLevel: string }>(`/config/${s}?defaultToGlobal=true`), [subject]);
  const list = versions.data ?? [];
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const fromV = from ?? list[list.length - 2]?.version ?? list[0]?.version;
  const toV = to ?? list[list.length - 1]?.version;
  const latest = list[list.length - 1];
  return (
    <>
      <h2>{subject}</h2>
      <ErrorBox error={versions.error ?? config.error} />
      <p>
        Compatibility level: <strong data-testid="compatibility-level">{config.data?.compatibilityLevel ?? "–"}</strong>
      </p>
      <Card title="Versions" wide>
        <table data-testid="versions">
          <thead>
            <tr>
              <th scope="col">version</th>
              <th scope="col">schema id</th>
              <th scope="col">type</th>
              <th scope="col">fields</th>
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <tr key={v.version}>
                <td class="num">{v.version}</td>
                <td class="num">{v.id}</td>
                <td>{v.schemaType ?? "AVRO"}</td>
                <td>{fieldNames(v.schema)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {latest ? (
          <details>
            <summary>Latest schema (version {latest.version})</summary>
            <pre class="code">{pretty(latest.schema)}</pre>
          </details>
        ) : null}
      </Card>
      {list.length > 1 ? (
        <Card title="Diff" wide>
          <div class="inline">
            <label>
              from{" "}
              <select value={fromV} onChange={(e) => setFrom(Number((e.target as HTMLSelectElement).value))} data-testid="diff-from">
                {list.map((v) => (
                  <option key={v.version} value={v.version}>
                    version {v.version}
                  </option>
                ))}
              </select>
            </label>
            <label>
              to{" "}
              <select value={toV} onChange={(e) => setTo(Number((e.target as HTMLSelectElement).value))} data-testid="diff-to">
                {list.map((v) => (
                  <option key={v.version} value={v.version}>
                    version {v.version}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <DiffView
            testId="schema-diff"
            before={pretty(list.find((v) => v.version === fromV)?.schema ?? "")}
            after={pretty(list.find((v) => v.version === toV)?.schema ?? "")}
          />
        </Card>
      ) : null}
      <CompatibilityCheck subject={subject} initial={latest ? pretty(latest.schema) : ""} schemaType={latest?.schemaType} />
    </>
  );
}

function fieldNames(schema: string): string {
  try {
    const parsed = JSON.parse(schema);
    if (Array.isArray(parsed?.fields)) return parsed.fields.map((f: { name: string }) => f.name).join(", ");
    if (parsed?.properties) return Object.keys(parsed.properties).join(", ");
  } catch {
    /* not JSON: show nothing */
  }
  return "";
}

function CompatibilityCheck({ subject, initial, schemaType }: { subject: string; initial: string; schemaType?: string }) {
  const [text, setText] = useState<string | null>(null);
  const [result, setResult] = useState<{ ok: boolean; messages: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const value = text ?? initial;
  const check = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    try {
      const r = await registry<{ is_compatible: boolean; messages?: string[] }>(
        `/compatibility/subjects/${seg(subject)}/versions/latest?verbose=true`,
        "POST",
        { schema: value, ...(schemaType && schemaType !== "AVRO" ? { schemaType } : {}) },
      );
      setResult({ ok: r.is_compatible, messages: r.messages ?? [] });
    } catch (x) {
      setError(x instanceof ApiError ? `${x.status}: ${x.message}` : String(x));
    }
  };
  return (
    <Card title="Check compatibility" wide>
      <form onSubmit={check}>
        <label>
          A new schema for {subject}
          <textarea rows={10} class="mono" value={value} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} data-testid="compat-schema" />
        </label>
        <button type="submit" data-testid="compat-check">
          Check against the latest version
        </button>
      </form>
      <ErrorBox error={error} />
      {result ? (
        <div role="status" data-testid="compat-result" class={result.ok ? "ok" : "error"}>
          {result.ok ? "Compatible" : "Not compatible"}
          <ul>
            {result.messages.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}
