// SQLite peer of bench/analytics: runs queries.mjs's statements with the sqlite3 CLI on the Gazelle
// database (read-only; temporary tables in memory) and prints, like the other peers:
//   TIME load <seconds> / TIME compute <seconds> / R <key> <value>
//   node bench/analytics/sqlite_peer.mjs <database>
import { spawn } from 'node:child_process';
import { statements } from './queries.mjs';

const db = process.argv[2];
if (!db) {
  console.error('usage: node sqlite_peer.mjs <gazelle sqlite database>');
  process.exit(2);
}
const { load, compute, report } = statements('sqlite');
const mark = (name) => `SELECT 'MARK|${name}|' || ((julianday('now') - 2440587.5) * 86400.0);`;
const script = [
  '.bail on',
  'PRAGMA temp_store = MEMORY;',
  'PRAGMA cache_size = -1000000;',
  'PRAGMA threads = 2;',
  '.timer on',  // "Run Time: real … user … sys …" per statement: the CPU time of each phase
  mark('load_start'),
  ...load.map((s) => s + ';'),
  mark('load_end'),
  ...compute.map((s) => s + ';'),
  mark('compute_end'),
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
  const marks = {}, cpu = { load: 0, compute: 0 };
  let phase = null;
  for (const line of out.split('\n')) {
    const p = line.split('|');
    const rt = line.match(/^Run Time: real [\d.]+ user ([\d.]+) sys ([\d.]+)/);
    if (rt) {
      if (phase) cpu[phase] += Number(rt[1]) + Number(rt[2]);
    } else if (p[0] === 'MARK') {
      marks[p[1]] = Number(p[2]);
      phase = { load_start: 'load', load_end: 'compute', compute_end: null }[p[1]];
    } else if (p.length === 2 && p[0]) console.log(`R ${p[0]} ${p[1]}`);
  }
  console.log(`TIME load ${(marks.load_end - marks.load_start).toFixed(3)}`);
  console.log(`TIME compute ${(marks.compute_end - marks.load_end).toFixed(3)}`);
  console.log(`TIME load_cpu ${cpu.load.toFixed(3)}`);
  console.log(`TIME compute_cpu ${cpu.compute.toFixed(3)}`);
});
