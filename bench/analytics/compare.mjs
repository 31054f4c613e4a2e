// Compares the figures (R <key> <value> lines) of the benchmark's engines and prints the table
// of times and ratios. A benchmark whose peers compute different things is worthless, so any
// difference beyond the tolerances below fails (exit 1):
//   counts (customers, segments, losing customers, as_of): exactly equal;
//   money totals (integer cents): exactly equal;
//   shares, Gini, Stobachoff peak: within 5e-5 (equal to 4 digits).
//   node compare.mjs name=file [name=file …]   (the first one is the reference)
import { readFileSync } from 'node:fs';

const runs = process.argv.slice(2).map((a) => {
  const [name, file] = a.split('=');
  const figures = new Map(), times = {}, info = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const p = line.trim().split(/\s+/);
    if (p[0] === 'R') figures.set(p[1], p[2] === 'null' ? null : Number(p[2]));
    else if (p[0] === 'TIME') times[p[1]] = Number(p[2]);
    else if (p[0] === 'INFO') info.push(p.slice(1).join(' '));
  }
  return { name, figures, times, info };
});
if (runs.length < 2) {
  console.error('usage: node compare.mjs name=file name=file [...]');
  process.exit(2);
}
const ref = runs[0];
const customers = ref.figures.get('profit.customers') || 1;
const tolerance = (key) => {
  if (/^(seg\.|rfm\.customers|profit\.customers|profit\.losing|as_of_day)/.test(key)) return 0;
  if (/^(conc_|stobachoff)/.test(key)) return 5e-5;
  return 0.5;  // cents: the same integers (margins rounded per order like the loader)
};
let bad = 0;
for (const [key, v] of ref.figures) {
  for (const r of runs.slice(1)) {
    if (!r.figures.has(key)) {
      console.log(`MISMATCH ${key}: ${ref.name}=${v}, ${r.name} has no such figure`);
      bad++;
      continue;
    }
    const w = r.figures.get(key);
    const ok = v === null || w === null ? v === w : Math.abs(v - w) <= tolerance(key);
    if (!ok) {
      console.log(`MISMATCH ${key}: ${ref.name}=${v} ${r.name}=${w}`);
      bad++;
    }
  }
}
const f = ref.figures;
console.log(`Figures (equal in every engine${bad ? ' — EXCEPT THE MISMATCHES ABOVE' : ''}):`);
console.log(`  RFM customers ${f.get('rfm.customers')}; profitability customers ${customers}, losing money ${f.get('profit.losing')}`);
console.log(`  revenue: Gini ${f.get('conc_revenue.gini')?.toFixed(4)}, top 20 % ${(100 * f.get('conc_revenue.top20')).toFixed(2)} %;` +
  ` net profit: Gini ${f.get('conc_profit.gini')?.toFixed(4)}, top 20 % ${(100 * f.get('conc_profit.top20')).toFixed(2)} %,` +
  ` Stobachoff peak ${(100 * f.get('stobachoff.peak')).toFixed(2)} %`);
console.log('  segments: ' + [...f.keys()].filter((k) => k.startsWith('seg.')).map((k) => `${k.slice(4)} ${f.get(k)}`).join(', '));
console.log('');
const pad = (s, n) => String(s).padStart(n);
// Every engine times compute the same way: its first run after the load and the best of its
// `repeat` runs (TIME compute_first / TIME compute); ratios compare like with like.
const repeats = [...new Set(runs.map((r) => r.times.repeat))];
const num = (v) => (typeof v === 'number' && !Number.isNaN(v) ? v.toFixed(3) : '-');
console.log(`${'engine'.padEnd(10)} ${pad('load s', 8)} ${pad('cpu s', 8)} ${pad('first s', 9)} ${pad('cpu s', 8)}` +
  ` ${pad('best s', 9)} ${pad('cpu s', 8)} ${pad('load ×', 8)} ${pad('first ×', 8)} ${pad('cpu ×', 7)}` +
  ` ${pad('best ×', 8)} ${pad('cpu ×', 7)}`);
for (const r of runs) {
  const t = r.times, q = ref.times;
  const x = (a, b) => (a > 0 && b > 0 ? (a / b).toFixed(1) : '-');
  console.log(`${r.name.padEnd(10)} ${pad(num(t.load), 8)} ${pad(num(t.load_cpu), 8)}` +
    ` ${pad(num(t.compute_first), 9)} ${pad(num(t.compute_first_cpu), 8)} ${pad(num(t.compute), 9)} ${pad(num(t.compute_cpu), 8)}` +
    ` ${pad(x(t.load, q.load), 8)} ${pad(x(t.compute_first, q.compute_first), 8)}` +
    ` ${pad(x(t.compute_first_cpu, q.compute_first_cpu), 7)} ${pad(x(t.compute, q.compute), 8)}` +
    ` ${pad(x(t.compute_cpu, q.compute_cpu), 7)}`);
}
console.log(`(wall and CPU seconds; first = the first compute run after the load, best = the best of` +
  ` ${repeats.length === 1 ? repeats[0] : repeats.join('/')} runs; × = relative to ${ref.name}, above 1 = slower,` +
  ` first with first and best with best)`);
if (repeats.length > 1) console.log('WARNING: the engines ran compute a different number of times');
for (const r of runs) for (const i of r.info) console.log(`  ${r.name}: ${i}`);
if (bad) {
  console.log(`${bad} figure(s) differ: the engines do not compute the same thing`);
  process.exit(1);
}
