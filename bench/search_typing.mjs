// Search as you type in a real browser (Debian's chromium driven by playwright-core): the global
// search box of the web interface, typed one character at a time like a user, against a running
// server (issue 16: under 100 ms per keystroke at 1,000,000 contacts).
//
// For each keystroke from the second character on (the box searches from 2 characters), the
// figure is the time from the first search request of that text leaving the browser until every
// searchable entity's answer (the box asks each of them, 6 hits each, in parallel) has arrived and
// the list is painted. The box's own 200 ms debounce is by design and not counted; each character
// is typed 300 ms after the previous one so that every prefix is searched.
// Usage: node bench/search_typing.mjs http://127.0.0.1:PORT names.txt [how many names]
//   names.txt: texts people type, one per line (bench/run.sh's queries.txt is such a file).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(join(root, 'web/package.json'))('playwright-core');
const [base, namesFile, howMany] = process.argv.slice(2);
if (!base || !namesFile) {
  console.error('usage: node bench/search_typing.mjs http://127.0.0.1:PORT names.txt [how many names]');
  process.exit(2);
}
const names = readFileSync(namesFile, 'utf8').split('\n').map((s) => s.trim()).filter((s) => s.length >= 3)
  .slice(0, Number(howMany || 20));

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
const page = await context.newPage();
await page.goto(base + '/');
await page.getByLabel('E-mail').fill(process.env.BENCH_EMAIL || 'admin@demo.gazelle.fr');
await page.getByLabel('Mot de passe').fill(process.env.BENCH_PASSWORD || 'gazelle-demo');
await page.getByRole('button', { name: 'Se connecter' }).click();
await page.getByTestId('current-user').waitFor();

// Measured inside the page: the requests' Resource Timing entries (when the first of a text left,
// when the last answer ended) and a MutationObserver noting when the results list last changed.
await page.evaluate(() => {
  window.__listChanged = [];
  new MutationObserver(() => window.__listChanged.push(performance.now()))
    .observe(document.body, { childList: true, subtree: true, characterData: true });
  performance.setResourceTimingBufferSize(100000);
});
const measure = (typed, since) => page.evaluate(([text, from]) => {
  const mine = performance.getEntriesByType('resource').filter((r) => {
    const u = new URL(r.name);
    return r.startTime >= from && u.pathname.startsWith('/api/v1/') && u.searchParams.get('q') === text;
  });
  if (!mine.length) return null;
  const start = Math.min(...mine.map((r) => r.startTime));
  const end = Math.max(...mine.map((r) => r.responseEnd));
  const painted = window.__listChanged.filter((t) => t >= end)[0];
  return { requests: mine.length, server: end - start, shown: painted === undefined ? null : painted - start };
}, [typed, since]);

const box = page.locator('#global-search');
const figures = [];
const network = [];
const slowest = [];
for (const name of names) {
  await box.fill('');
  await page.waitForTimeout(300);
  for (let i = 0; i < name.length; ++i) {
    const since = await page.evaluate(() => performance.now());  // this keystroke's requests only
    await box.pressSequentially(name[i]);  // accents too (press() knows keys, not characters)
    await page.waitForTimeout(350);
    const typed = name.slice(0, i + 1).trim();
    if (typed.length < 2 || typed !== name.slice(0, i + 1)) continue;
    const m = await measure(typed, since);
    if (m && m.shown !== null) {
      figures.push(m.shown);
      network.push(m.server);
      slowest.push([m.shown, typed]);
    }
  }
}
await browser.close();
console.log(`search as you type: ${names.length} names, ${figures.length} keystrokes searched`);
const line = (xs) => `median ${pct(xs, 50).toFixed(0)} ms, p90 ${pct(xs, 90).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, ` +
  `max ${Math.max(...xs).toFixed(0)} ms`;
console.log(`per keystroke, first request out → list changed on screen: ${line(figures)}`);
slowest.sort((a, b) => b[0] - a[0]);
console.log(`slowest: ${slowest.slice(0, 3).map(([ms, t]) => `"${t}" ${ms.toFixed(0)} ms`).join(', ')}`);
console.log(`per keystroke, first request out → last answer in (the requests alone): ${line(network)}`);
