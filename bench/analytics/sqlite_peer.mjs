// SQLite peer of bench/analytics: runs queries.mjs's statements with the sqlite3 CLI on the Gazelle
// database (read-only; temporary tables in memory) and prints, like the other peers:
//   TIME load <seconds> / TIME compute_first <seconds> / TIME compute <seconds> / R <key> <value>
// Compute is run `repeat` times (default 5, or BENCH_REPEAT), as in the other engines: the first
// run and the best one are both reported (compute = the best; the temporary tables a run creates
// are dropped, untimed, before the next one).
//   node bench/analytics/sqlite_peer.mjs <database> [repeat]
import { spawn } from 'node:child_process';
import { statements } from './queries.mjs';

const db = process.argv[2];
const repeat = Number(process.argv[3] || process.env.BENCH_REPEAT || 5);
if (!db || !(repeat >= 1)) {
  console.error('usage: node sqlite_peer.mjs <gazelle sqlite database> [repeat >= 1]');
  process.exit(2);
}
const { load, compute, report } = statements('sqlite');
const mark = (name) => `SELECT 'MARK|${name}|' || ((julianday('now') - 2440587.5) * 86400.0);`;
const created = compute.map((s) => /CREATE\s+(?:TEMP\s+)?TABLE\s+(\w+)/i.exec(s)?.[1]).filter(Boolean);
const runs = [];
for (let k = 0; k < repeat; k++) {
  if (k > 0) runs.push(...[...created].reverse().map((t) => `DROP TABLE IF EXISTS temp.${t};`));
  runs.push(mark(`compute_start_${k}`), ...compute.map((s) => s + ';'), mark(`compute_end_${k}`));
}
const script = [
  '.bail on',
  'PRAGMA temp_store = MEMORY;',
  'PRAGMA cache_size = -1000000;',
  'PRAGMA threads = 2;',
  '.timer on',  // "Run Time: real … user … sys …" per statement: the CPU time of each phase
  mark('load_start'),
  ...load.map((s) => s + ';'),
  mark('load_end'),
  ...runs,
  report + ';',
].join('\n');

// Only TEMP tables are created: the Gazelle tables are read, never written.
const child = spawn('sqlite3', ['-batch', '-list', '-separator', '|', db], { stdio: ['pipe', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (d) => (out += d));
child.stdin.end(script);
child.on('close', (code) => {
  if (code !== 0) {
    console.error(`sqlite3 exited with ${code}\n${out}`);
    process.exit(1);
  }
  const marks = {}, cpu = { load: 0 };
  let phase = null;
  for (const line of out.split('\n')) {
    const p = line.split('|');
    const rt = line.match(/^Run Time: real [\d.]+ user ([\d.]+) sys ([\d.]+)/);
    if (rt) {
      if (phase) cpu[phase] = (cpu[phase] || 0) + Number(rt[1]) + Number(rt[2]);
    } else if (p[0] === 'MARK') {
      marks[p[1]] = Number(p[2]);
      // load_start … load_end, compute_start_k … compute_end_k; the drops between runs are not counted.
      phase = p[1] === 'load_start' ? 'load' : p[1].startsWith('compute_start_') ? `compute_${p[1].slice(14)}` : null;
    } else if (p.length === 2 && p[0]) console.log(`R ${p[0]} ${p[1]}`);
  }
  let best = 0;
  const wall = (k) => marks[`compute_end_${k}`] - marks[`compute_start_${k}`];
  for (let k = 1; k < repeat; k++) if (wall(k) < wall(best)) best = k;
  console.log(`TIME load ${(marks.load_end - marks.load_start).toFixed(3)}`);
  console.log(`TIME repeat ${repeat}`);
  console.log(`TIME compute_first ${wall(0).toFixed(3)}`);
  console.log(`TIME compute_first_cpu ${(cpu.compute_0 || 0).toFixed(3)}`);
  console.log(`TIME compute ${wall(best).toFixed(3)}`);
  console.log(`TIME load_cpu ${cpu.load.toFixed(3)}`);
  console.log(`TIME compute_cpu ${(cpu[`compute_${best}`] || 0).toFixed(3)}`);
});
