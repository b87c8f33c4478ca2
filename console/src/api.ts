// Every call the console makes to the host: the Glue JSON API at POST /, the Confluent REST registry,
// POST /query, GET /api/status and the console's own read endpoints under /api/console.
import { signHeaders, type Credentials } from "./sigv4";

const credentialsKey = "streams.console.credentials";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly type?: string,
  ) {
    super(message);
  }
}

export function loadCredentials(): Credentials | null {
  const text = sessionStorage.getItem(credentialsKey);
  return text ? (JSON.parse(text) as Credentials) : null;
}

export function saveCredentials(credentials: Credentials | null): void {
  if (credentials) sessionStorage.setItem(credentialsKey, JSON.stringify(credentials));
  else sessionStorage.removeItem(credentialsKey);
}

/** A same-origin request, signed with SigV4 when the user has given an access key. */
async function send(method: string, path: string, body: string | null, headers: Record<string, string>): Promise<Response> {
  const url = new URL(path, location.origin);
  const credentials = loadCredentials();
  const final = credentials ? await signHeaders(credentials, method, url, headers, body ?? "") : headers;
  return fetch(url, { method, headers: final, body: body ?? undefined });
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const json = JSON.parse(text);
    const message = json.Message ?? json.message ?? json.error ?? text;
    return new ApiError(typeof message === "string" ? message : text, response.status, json.__type ?? json.error_code?.toString());
  } catch {
    return new ApiError(text || response.statusText, response.status);
  }
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

/** A Glue operation (AWS JSON 1.1): `glue("GetTables", {DatabaseName: "lake"})`. */
export async function glue<T>(operation: string, input: object = {}): Promise<T> {
  const response = await send("POST", "/", JSON.stringify(input), {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": `AWSGlue.${operation}`,
  });
  return json<T>(response);
}

/** Every page of a Glue list operation that pages with NextToken. */
export async function glueAll<T>(operation: string, input: object, member: string): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await glue<Record<string, unknown>>(operation, token ? { ...input, NextToken: token } : input);
    items.push(...((page[member] as T[]) ?? []));
    token = page.NextToken as string | undefined;
  } while (token);
  return items;
}

export interface ConsoleInfo {
  version: string;
  registryPath: string;
  authRequired: boolean;
  statusServed: boolean;
  jobsServed: boolean;
  workflowsServed: boolean;
}

export async function consoleInfo(): Promise<ConsoleInfo> {
  return json<ConsoleInfo>(await fetch("/api/console/info"));
}

export async function get<T>(path: string): Promise<T> {
  return json<T>(await send("GET", path, null, {}));
}

export async function post<T>(path: string, body: object): Promise<T> {
  return json<T>(await send("POST", path, JSON.stringify(body), { "content-type": "application/json" }));
}

let registryBase = "/registry";
export function setRegistryBase(path: string) {
  registryBase = path === "/" ? "" : path.replace(/\/$/, "");
}

export async function registry<T>(path: string, method = "GET", body?: object): Promise<T> {
  const response = await send(method, registryBase + path, body ? JSON.stringify(body) : null,
    body ? { "content-type": "application/vnd.schemaregistry.v1+json" } : {});
  return json<T>(response);
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  truncated: boolean;
}

export async function query(sql: string): Promise<QueryResult> {
  const raw = await json<{ columns: { name: string; type: string }[]; rows: Record<string, unknown>[]; truncated: boolean }>(
    await send("POST", "/query", JSON.stringify({ sql }), { "content-type": "application/json" }),
  );
  // The API answers rows as objects keyed by column name; the table and the chart want them positional.
  return { columns: raw.columns, truncated: raw.truncated, rows: raw.rows.map((r) => raw.columns.map((c) => r[c.name])) };
}

export async function queryCsv(sql: string): Promise<string> {
  const response = await send("POST", "/query", JSON.stringify({ sql, format: "csv" }), { "content-type": "application/json" });
  if (!response.ok) throw await errorOf(response);
  return response.text();
}

export interface PipelineStatus {
  name: string;
  state: string;
  recordsPerSecond: number;
  lag: number | null;
  freshnessP50Ms: number | null;
  freshnessP99Ms: number | null;
  deadLetters: number;
  lastCommit: string | null;
  /** "host": measured by the speed layer running in this host (GET /api/status); "serving": derived from committed offsets. */
  origin: "host" | "serving";
}

type RawStatus = {
  name?: string;
  pipeline?: string;
  state?: string;
  recordsPerSecond?: number;
  lag?: number | null;
  freshnessP50Ms?: number | null;
  freshnessP99Ms?: number | null;
  freshnessSeconds?: { p50?: number | null; p99?: number | null };
  deadLetters?: number;
  lastCommit?: string | null;
  lastCommitAt?: string | null;
};

const seconds = (v: number | null | undefined) => (v === null || v === undefined ? null : v * 1000);

/** The pipelines the host runs, from GET /api/status (freshness in ms or, as the host sends it, in seconds). */
export async function status(): Promise<PipelineStatus[]> {
  const raw = await get<{ pipelines?: RawStatus[] }>("/api/status");
  return (raw.pipelines ?? []).map((p) => ({
    name: p.name ?? p.pipeline ?? "?",
    state: p.state ?? "UNKNOWN",
    recordsPerSecond: p.recordsPerSecond ?? 0,
    lag: p.lag ?? null,
    freshnessP50Ms: p.freshnessP50Ms ?? seconds(p.freshnessSeconds?.p50),
    freshnessP99Ms: p.freshnessP99Ms ?? seconds(p.freshnessSeconds?.p99),
    deadLetters: p.deadLetters ?? 0,
    lastCommit: p.lastCommit ?? p.lastCommitAt ?? null,
    origin: "host",
  }));
}

export interface ViewInfo {
  name: string;
  watermark: string | null;
  rows: number;
  batchRows: number;
  speedRows: number;
  swappedAt: string | null;
}

export interface FlowNode {
  id: string;
  kind: "source" | "transform" | "window" | "aggregate" | "sink";
  label: string;
  detail: string;
}

export interface PipelineSummary {
  name: string;
  views: ViewInfo[];
  deadLetters: number;
  committedOffsets: number;
  lastCommit: string | null;
  lag: number | null;
  job: string | null;
  specLocation: string | null;
  specError: string | null;
  spec: string | null;
  /** "job": the script location of `job`; "speed layer": recorded when the stream started; null: none known. */
  specFrom: string | null;
  /** What the processes running it reported in the last seconds (records/s summed, the worst one's freshness); null when none did. */
  recordsPerSecond: number | null;
  freshnessP50Ms: number | null;
  freshnessP99Ms: number | null;
  flow: FlowNode[];
}

export async function pipelines(): Promise<PipelineSummary[]> {
  return (await get<{ pipelines: PipelineSummary[] }>("/api/console/pipelines")).pipelines;
}

export interface DeadLetter {
  id: string;
  source: string | null;
  partition: number | null;
  offset: number | null;
  stage: string;
  reason: string;
  record: string | null;
  createdAt: string;
}

export interface DeadLetterPage {
  reasons: { reason: string; count: number }[];
  total: number;
  letters: DeadLetter[];
}

export async function deadLetters(pipeline: string, reason: string | null): Promise<DeadLetterPage> {
  const search = reason ? `?reason=${encodeURIComponent(reason)}` : "";
  return get<DeadLetterPage>(`/api/console/pipelines/${encodeURIComponent(pipeline)}/dead-letters${search}`);
}

export interface ReplayOutcome {
  selected: number;
  replayed: number;
  rows: number;
  stillDead: { reason: string; count: number }[];
}

/** Replays the speed layer's dead letters whose reason or stage contains `reason` (all when null). */
export async function replayDeadLetters(pipeline: string, reason: string | null): Promise<ReplayOutcome> {
  return post<ReplayOutcome>(`/api/console/pipelines/${encodeURIComponent(pipeline)}/dead-letters/replay`, { reason });
}

export interface RunLogLine {
  sequence: number;
  at: string;
  message: string;
}

/** A job run's log lines after `after` (the store's sequence), with the run's state. */
export async function runLog(job: string, run: string, after: number): Promise<{ state: string; lines: RunLogLine[] }> {
  return get(`/api/console/jobs/${encodeURIComponent(job)}/runs/${encodeURIComponent(run)}/log?after=${after}`);
}
