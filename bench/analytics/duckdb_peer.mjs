// DuckDB peer of bench/analytics: reads the CSV export of the Gazelle database into an in-memory
// DuckDB (2 threads, the machine's cores), builds the same per-order facts as the others, runs
// queries.mjs's analyses and prints TIME load / TIME compute_first / TIME compute / R <key> <value>
// lines. Like the other engines, compute is run `repeat` times (default 5, or BENCH_REPEAT): the
// first run and the best one are both reported (compute = the best; the tables a run creates are
// dropped, untimed, before the next one).
//   node bench/analytics/duckdb_peer.mjs <csv directory> [threads] [repeat]
import { DuckDBInstance, version } from '@duckdb/node-api';
import { join } from 'node:path';
import { statements } from './queries.mjs';

const dir = process.argv[2];
const threads = process.argv[3] || '2';
const repeat = Number(process.argv[4] || process.env.BENCH_REPEAT || 5);
if (!dir || !(repeat >= 1)) {
  console.error('usage: node duckdb_peer.mjs <csv directory> [threads] [repeat >= 1]');
  process.exit(2);
}
const csv = (name, columns) =>
  `read_csv('${join(dir, name)}', header = true, auto_detect = false, quote = '"', escape = '"', columns = {${
    Object.entries(columns).map(([k, v]) => `'${k}': '${v}'`).join(', ')}})`;

const instance = await DuckDBInstance.create(':memory:', { threads });
const con = await instance.connect();
const { load, compute, report } = statements('duckdb');
const now = () => Number(process.hrtime.bigint()) / 1e9;
// CPU seconds of the whole process (DuckDB's threads included).
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

const t0 = now(), k0 = cpu();
await con.run(`CREATE TABLE orders AS SELECT * FROM ${csv('orders.csv', {
  id: 'BIGINT', contact_id: 'BIGINT', account_id: 'BIGINT', ordered_at: 'VARCHAR', status: 'VARCHAR',
  subtotal_cents: 'BIGINT', discount_cents: 'BIGINT', total_cents: 'BIGINT' })}`);
await con.run(`CREATE TABLE order_lines AS SELECT * FROM ${csv('order_lines.csv', {
  order_id: 'BIGINT', product_id: 'BIGINT', total_cents: 'BIGINT' })}`);
await con.run(`CREATE TABLE products AS SELECT * FROM ${csv('products.csv', { id: 'BIGINT', margin_bp: 'BIGINT' })}`);
await con.run(`CREATE TABLE interactions AS SELECT * FROM ${csv('interactions.csv', {
  contact_id: 'BIGINT', account_id: 'BIGINT', channel: 'VARCHAR', occurred_at: 'VARCHAR' })}`);
const t1 = now();
for (const s of load) await con.run(s);
const t2 = now(), k2 = cpu();
// The tables compute creates, dropped between runs.
const created = compute.map((s) => /CREATE\s+(?:TEMP\s+)?TABLE\s+(\w+)/i.exec(s)?.[1]).filter(Boolean);
let first = 0, firstCpu = 0, best = Infinity, bestCpu = 0;
for (let k = 0; k < repeat; k++) {
  if (k > 0) for (const t of [...created].reverse()) await con.run(`DROP TABLE IF EXISTS ${t}`);
  const a = now(), c = cpu();
  for (const s of compute) await con.run(s);
  const wall = now() - a, used = cpu() - c;
  if (k === 0) [first, firstCpu] = [wall, used];
  if (wall < best) [best, bestCpu] = [wall, used];
}
const rows = (await con.runAndReadAll(report)).getRows();
for (const [k, v] of rows) console.log(`R ${k} ${v === null ? 'null' : Number(v)}`);
console.log(`INFO duckdb ${version()} threads=${threads} csv_read=${(t1 - t0).toFixed(3)} facts=${(t2 - t1).toFixed(3)}`);
console.log(`TIME load ${(t2 - t0).toFixed(3)}`);
console.log(`TIME repeat ${repeat}`);
console.log(`TIME compute_first ${first.toFixed(3)}`);
console.log(`TIME compute_first_cpu ${firstCpu.toFixed(3)}`);
console.log(`TIME compute ${best.toFixed(3)}`);
console.log(`TIME load_cpu ${(k2 - k0).toFixed(3)}`);
console.log(`TIME compute_cpu ${bestCpu.toFixed(3)}`);
con.closeSync();
