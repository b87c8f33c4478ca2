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
for (const sql of statements) {
  const started = process.hrtime.bigint();
  const reader = await connection.runAndReadAll(sql);
  timings.push(Number(process.hrtime.bigint() - started) / 1e6);
  rows = reader.getRowObjectsJson();
}
process.stdout.write(JSON.stringify({ rows, timings }));
