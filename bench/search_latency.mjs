// Search latency per query class (bench/search_latency.sh starts it).
//   node bench/search_latency.mjs URL TOKEN SAMPLES.tsv [requests per class] [connections] [SENT.tsv]
// SAMPLES.tsv: one random contact per line, tab-separated: first_name, last_name, city, first
// e-mail, company name (may be empty), first phone (E.164, may be empty).
// Each request draws a fresh contact and builds the text of its class from it; the classes are
// interleaved (round robin over the classes, a random contact each time). Prints one line per
// class: requests, p50, p90, p99, max (ms) and the mean number of rows on the first page.
import http from "node:http";
import fs from "node:fs";

const [url, token, samplesPath, perClassArg, connArg, logPath] = process.argv.slice(2);
const perClass = Number(perClassArg || 300);
const connections = Number(connArg || 1);
const base = new URL(url);
const rows = fs
  .readFileSync(samplesPath, "utf8")
  .split("\n")
  .filter((l) => l.length)
  .map((l) => {
    const [first, last, city, email, company, phone] = l.split("\t");
    return { first, last, city, email, company, phone };
  });
if (rows.length < 10) throw new Error("too few samples in " + samplesPath);

const pick = (a) => a[Math.floor(Math.random() * a.length)];
const withPhone = rows.filter((r) => r.phone && /^\+33\d{9}$/.test(r.phone));
const withCompany = rows.filter((r) => r.company);
// A French number in the ways people write it: "06 12 34 56 78", "+33 6 12 34 56 78"…
const national = (p) => "0" + p.slice(3);
const pairs = (d) => d.match(/../g).join(" ");
const letters = (s) => s.normalize("NFD").replace(/[^\p{L}]/gu, "").toLowerCase();

const classes = {
  full_name: () => ((r) => `${r.first} ${r.last}`)(pick(rows)),
  last_name: () => pick(rows).last,
  prefix_2: () => letters(pick(rows).last).slice(0, 2),
  prefix_3: () => letters(pick(rows).last).slice(0, 3),
  first_prefix_2: () => letters(pick(rows).first).slice(0, 2),
  city: () => pick(rows).city,
  first_city: () => ((r) => `${r.first} ${r.city}`)(pick(rows)),
  email: () => pick(rows).email,
  company: () => pick(withCompany).company,
  phone_spaced: () => pairs(national(pick(withPhone).phone)),
  phone_e164: () => pick(withPhone).phone,
  phone_0033: () => "0033" + pick(withPhone).phone.slice(3),
  phone_dots: () => pairs(national(pick(withPhone).phone)).replaceAll(" ", "."),
  phone_intl_spaced: () => ((p) => `+33 ${p[3]} ${pairs(p.slice(4))}`)(pick(withPhone).phone),
};
const names = Object.keys(classes).filter((n) => n !== "company" || withCompany.length);

const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
function get(path) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(
      { host: base.hostname, port: base.port, path, agent, headers: { Authorization: "Bearer " + token, Accept: "application/json" } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          resolve({ status: res.statusCode, ms, body: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const results = Object.fromEntries(names.map((n) => [n, { ms: [], rows: 0, errors: 0 }]));
const plan = [];
for (let i = 0; i < perClass; i++) for (const n of names) plan.push(n);
let next = 0;
const sent = [];  // "class<TAB>text" of every counted request, for bench/search_peer.cpp
async function client() {
  while (next < plan.length) {
    const n = plan[next++];
    const q = classes[n]();
    sent.push(`${n}\t${q}`);
    const r = await get(`/api/v1/contacts?q=${encodeURIComponent(q)}`);
    const res = results[n];
    if (r.status !== 200) {
      res.errors++;
      if (res.errors === 1) console.error(`${n}: HTTP ${r.status} for ${q}: ${r.body.slice(0, 200)}`);
      continue;
    }
    res.ms.push(r.ms);
    res.rows += (r.body.match(/"id":/g) || []).length;  // rows of the page (the names map has no "id")
  }
}
// Warm-up: a few requests per class, not counted.
for (const n of names) for (let i = 0; i < 3; i++) await get(`/api/v1/contacts?q=${encodeURIComponent(classes[n]())}`);
const t0 = Date.now();
await Promise.all(Array.from({ length: connections }, client));
const secs = (Date.now() - t0) / 1000;

const pct = (a, p) => a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))];
console.log(`connections ${connections}, ${perClass} requests per class, ${plan.length} in ${secs.toFixed(1)} s (${(plan.length / secs).toFixed(0)} req/s)`);
console.log("| class | requests | p50 ms | p90 ms | p99 ms | max ms | rows/page | errors |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
const all = [];
for (const n of names) {
  const r = results[n];
  const a = r.ms.sort((x, y) => x - y);
  all.push(...a);
  const f = (x) => (x === undefined ? "-" : x.toFixed(2));
  console.log(`| ${n} | ${a.length} | ${f(pct(a, 50))} | ${f(pct(a, 90))} | ${f(pct(a, 99))} | ${f(a[a.length - 1])} | ${(r.rows / Math.max(1, a.length)).toFixed(1)} | ${r.errors} |`);
}
all.sort((x, y) => x - y);
console.log(`| all | ${all.length} | ${pct(all, 50).toFixed(2)} | ${pct(all, 90).toFixed(2)} | ${pct(all, 99).toFixed(2)} | ${all[all.length - 1].toFixed(2)} | | |`);
if (logPath) fs.writeFileSync(logPath, sent.join("\n") + "\n");
agent.destroy();
