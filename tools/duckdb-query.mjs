// Runs SQL statements (JSON array of strings on stdin) in an in-memory DuckDB and prints the rows of
// the last one as JSON. Used by the Parquet interop tests and the parquet benchmark.
import { DuckDBInstance } from '@duckdb/node-api';

const input = await new Promise((resolve) => {
  let data = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
});
const statements = JSON.parse(input);
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
let rows = [];
const timings = [];
const cpu = [];
for (const sql of statements) {
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const reader = await connection.runAndReadAll(sql);
  const used = process.cpuUsage(cpuStarted);
  timings.push(Number(process.hrtime.bigint() - started) / 1e6);
  cpu.push((used.user + used.system) / 1e3);
  rows = reader.getRowObjectsJson();
}
// Wall-clock and CPU milliseconds (all threads of the process) per statement.
process.stdout.write(JSON.stringify({ rows, timings, cpu }));
