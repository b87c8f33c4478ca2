import { useState } from "preact/hooks";
import { glue, glueAll } from "../api";
import { Card, DataTable, DiffView, ErrorBox, Loading, StateBadge } from "../components";
import { duration, num, time } from "../format";
import { useLoad } from "../hooks";
import { href, seg } from "../router";

interface Column {
  Name: string;
  Type?: string;
  Comment?: string;
}
interface Table {
  Name: string;
  DatabaseName?: string;
  TableType?: string;
  UpdateTime?: number;
  VersionId?: string;
  PartitionKeys?: Column[];
  StorageDescriptor?: { Columns?: Column[]; Location?: string; InputFormat?: string; SerdeInfo?: { SerializationLibrary?: string } };
  Parameters?: Record<string, string>;
}
interface Partition {
  Values: string[];
  StorageDescriptor?: { Location?: string };
  CreationTime?: number;
}
interface Crawler {
  Name: string;
  State?: string;
  DatabaseName?: string;
  Targets?: { S3Targets?: { Path: string }[] };
  LastCrawl?: { Status?: string; ErrorMessage?: string; StartTime?: number };
  Schedule?: { ScheduleExpression?: string; State?: string };
}
interface CrawlerMetrics {
  CrawlerName: string;
  LastRuntimeSeconds?: number;
  TablesCreated?: number;
  TablesUpdated?: number;
  TablesDeleted?: number;
}

export function Catalog({ route }: { route: string[] }) {
  const [db, table] = route;
  return (
    <div class="page">
      <h1>Data Catalog</h1>
      <nav aria-label="breadcrumb" class="crumbs">
        <a href={href("/catalog")}>databases</a>
        {db ? (
          <>
            {" / "}
            <a href={href(`/catalog/${seg(db)}`)}>{db}</a>
          </>
        ) : null}
        {table ? ` / ${table}` : null}
      </nav>
      {table ? <TableDetail db={db} name={table} /> : db ? <TableList db={db} /> : <Databases />}
    </div>
  );
}

function Databases() {
  const dbs = useLoad(() => glueAll<{ Name: string; Description?: string; CreateTime?: number }>("GetDatabases", {}, "DatabaseList"), []);
  return (
    <>
      <Card title="Databases" wide>
        <ErrorBox error={dbs.error} />
        <Loading when={dbs.loading && !dbs.data} />
        <ul data-testid="databases">
          {(dbs.data ?? []).map((d) => (
            <li key={d.Name}>
              <a href={href(`/catalog/${seg(d.Name)}`)}>{d.Name}</a> {d.Description ? <span class="muted">{d.Description}</span> : null}
            </li>
          ))}
        </ul>
        {dbs.data && dbs.data.length === 0 ? <p>No databases yet.</p> : null}
      </Card>
      <Crawlers />
    </>
  );
}

function Crawlers() {
  const crawlers = useLoad(async () => {
    const list = await glueAll<Crawler>("GetCrawlers", {}, "Crawlers");
    const metrics = list.length ? await glueAll<CrawlerMetrics>("GetCrawlerMetrics", { CrawlerNameList: list.map((c) => c.Name) }, "CrawlerMetricsList") : [];
    return list.map((c) => ({ crawler: c, metrics: metrics.find((m) => m.CrawlerName === c.Name) }));
  }, [], 5000);
  return (
    <Card title="Crawlers" wide>
      <ErrorBox error={crawlers.error} />
      <table data-testid="crawlers">
        <thead>
          <tr>
            <th scope="col">crawler</th>
            <th scope="col">state</th>
            <th scope="col">database</th>
            <th scope="col">targets</th>
            <th scope="col">last crawl</th>
            <th scope="col">started</th>
            <th scope="col">runtime</th>
            <th scope="col">tables +/~/-</th>
          </tr>
        </thead>
        <tbody>
          {(crawlers.data ?? []).map(({ crawler: c, metrics: m }) => (
            <tr key={c.Name}>
              <td>{c.Name}</td>
              <td>
                <StateBadge state={c.State} />
              </td>
              <td>{c.DatabaseName}</td>
              <td class="mono">{(c.Targets?.S3Targets ?? []).map((t) => t.Path).join(", ")}</td>
              <td>
                {c.LastCrawl ? <StateBadge state={c.LastCrawl.Status} /> : "never"} {c.LastCrawl?.ErrorMessage ?? ""}
              </td>
              <td>{time(c.LastCrawl?.StartTime)}</td>
              <td>{duration(m?.LastRuntimeSeconds)}</td>
              <td class="num">
                {m ? `${num(m.TablesCreated)} / ${num(m.TablesUpdated)} / ${num(m.TablesDeleted)}` : "–"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function TableList({ db }: { db: string }) {
  const tables = useLoad(() => glueAll<Table>("GetTables", { DatabaseName: db }, "TableList"), [db]);
  return (
    <Card title={`Tables in ${db}`} wide>
      <ErrorBox error={tables.error} />
      <table data-testid="tables">
        <thead>
          <tr>
            <th scope="col">table</th>
            <th scope="col">columns</th>
            <th scope="col">partition keys</th>
            <th scope="col">classification</th>
            <th scope="col">location</th>
            <th scope="col">updated</th>
          </tr>
        </thead>
        <tbody>
          {(tables.data ?? []).map((t) => (
            <tr key={t.Name}>
              <td>
                <a href={href(`/catalog/${seg(db)}/${seg(t.Name)}`)}>{t.Name}</a>
              </td>
              <td class="num">{t.StorageDescriptor?.Columns?.length ?? 0}</td>
              <td>{(t.PartitionKeys ?? []).map((k) => k.Name).join(", ")}</td>
              <td>{t.Parameters?.classification ?? ""}</td>
              <td class="mono">{t.StorageDescriptor?.Location ?? ""}</td>
              <td>{time(t.UpdateTime)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function schemaText(t: Table | undefined): string {
  if (!t) return "";
  const cols = (t.StorageDescriptor?.Columns ?? []).map((c) => `${c.Name}: ${c.Type ?? ""}`);
  const keys = (t.PartitionKeys ?? []).map((c) => `${c.Name}: ${c.Type ?? ""} (partition key)`);
  return [...cols, ...keys].join("\n");
}

function TableDetail({ db, name }: { db: string; name: string }) {
  const table = useLoad(() => glue<{ Table: Table }>("GetTable", { DatabaseName: db, Name: name }), [db, name]);
  const [expression, setExpression] = useState("");
  const [applied, setApplied] = useState("");
  const partitions = useLoad(
    () => glueAll<Partition>("GetPartitions", applied ? { DatabaseName: db, TableName: name, Expression: applied } : { DatabaseName: db, TableName: name }, "Partitions"),
    [db, name, applied],
  );
  const versions = useLoad(
    () => glueAll<{ VersionId: string; Table: Table }>("GetTableVersions", { DatabaseName: db, TableName: name }, "TableVersions"),
    [db, name],
  );
  const sorted = [...(versions.data ?? [])].sort((a, b) => Number(a.VersionId) - Number(b.VersionId));
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const fromId = from ?? sorted[sorted.length - 2]?.VersionId ?? sorted[0]?.VersionId;
  const toId = to ?? sorted[sorted.length - 1]?.VersionId;
  const t = table.data?.Table;
  const keys = t?.PartitionKeys ?? [];
  return (
    <>
      <ErrorBox error={table.error} />
      {t ? (
        <Card title={`Table ${db}.${name}`} wide>
          <dl class="facts">
            <dt>location</dt>
            <dd class="mono">{t.StorageDescriptor?.Location}</dd>
            <dt>classification</dt>
            <dd>{t.Parameters?.classification ?? "–"}</dd>
            <dt>version</dt>
            <dd>{t.VersionId ?? "–"}</dd>
          </dl>
          <DataTable
            caption="columns"
            testId="columns"
            columns={["column", "type", "partition key", "comment"]}
            rows={[
              ...(t.StorageDescriptor?.Columns ?? []).map((c) => [c.Name, c.Type ?? "", "", c.Comment ?? ""]),
              ...keys.map((c) => [c.Name, c.Type ?? "", "yes", c.Comment ?? ""]),
            ]}
          />
        </Card>
      ) : null}
      <Card title="Partitions" wide>
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(expression);
          }}
        >
          <label>
            Expression{" "}
            <input value={expression} placeholder="dt >= '2026-11-19'" onInput={(e) => setExpression((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">Filter</button>
        </form>
        <ErrorBox error={partitions.error} />
        <DataTable
          testId="partitions"
          columns={[...keys.map((k) => k.Name), "location", "created"]}
          rows={(partitions.data ?? []).map((p) => [...p.Values, p.StorageDescriptor?.Location ?? "", time(p.CreationTime)])}
        />
        <p class="muted">{num(partitions.data?.length ?? 0)} partitions</p>
      </Card>
      <Card title="Versions" wide>
        <ErrorBox error={versions.error} />
        {sorted.length < 2 ? (
          <p>{sorted.length} version{sorted.length === 1 ? "" : "s"}: nothing to compare yet.</p>
        ) : (
          <>
            <div class="inline">
              <label>
                from{" "}
                <select value={fromId} onChange={(e) => setFrom((e.target as HTMLSelectElement).value)} data-testid="version-from">
                  {sorted.map((v) => (
                    <option key={v.VersionId} value={v.VersionId}>
                      version {v.VersionId}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                to{" "}
                <select value={toId} onChange={(e) => setTo((e.target as HTMLSelectElement).value)} data-testid="version-to">
                  {sorted.map((v) => (
                    <option key={v.VersionId} value={v.VersionId}>
                      version {v.VersionId}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <DiffView
              testId="version-diff"
              before={schemaText(sorted.find((v) => v.VersionId === fromId)?.Table)}
              after={schemaText(sorted.find((v) => v.VersionId === toId)?.Table)}
            />
          </>
        )}
      </Card>
    </>
  );
}
