// The kanban board in a real browser (Debian's chromium driven by playwright-core), against a
// server bench/sales_board.sh started on a base of BENCH_OPPORTUNITIES open deals:
//   - first paint: from navigation to /sales/board until every open column shows its first
//     cards (the board's figures and one page of cards per column);
//   - a move saved: from choosing a stage in a card's "Déplacer vers…" to the PATCH's answer.
// Usage: node bench/sales_board.mjs http://127.0.0.1:PORT [rounds]
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(join(root, 'web/package.json'))('playwright-core');
const base = process.argv[2];
const rounds = Number(process.argv[3] || 10);
if (!base) {
  console.error('usage: node bench/sales_board.mjs http://127.0.0.1:PORT [rounds]');
  process.exit(2);
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (xs) => `median ${pct(xs, 50).toFixed(0)} ms, p90 ${pct(xs, 90).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
const page = await context.newPage();
await page.goto(base + '/');
await page.getByLabel('E-mail').fill('admin@demo.gazelle.fr');
await page.getByLabel('Mot de passe').fill('gazelle-demo');
await page.getByRole('button', { name: 'Se connecter' }).click();
await page.getByTestId('current-user').waitFor();
// The board remembers "mine / everyone" per tab: everyone, so that every column has cards.
await page.evaluate(() => sessionStorage.setItem('gazelle.sales.board', JSON.stringify({ pipeline: 1, mine: false })));

// Opening the board from the menu, as a user does (the application already loaded): from the
// click until every open column shows its first cards.
const columnsFilled = () => page.waitForFunction(() => {
  const cols = [...document.querySelectorAll('[data-stage]')].filter((c) => !c.classList.contains('folded'));
  return cols.length > 0 && cols.every((c) => c.querySelector('.opp-card') || Number(c.querySelector('[data-testid=col-count]')?.textContent || '1') === 0);
}, null, { timeout: 30000, polling: 'raf' });
const paints = [];
await page.goto(base + '/sales/board');
await columnsFilled();
for (let i = 0; i < rounds; i++) {
  await page.getByRole('navigation').getByRole('link', { name: 'Ma journée' }).click();
  await page.getByRole('heading', { name: 'Ma journée' }).waitFor();
  const t0 = Date.now();
  await page.getByRole('navigation').getByRole('link', { name: 'Pipeline', exact: true }).click();
  await columnsFilled();
  paints.push(Date.now() - t0);
}
const cards = await page.locator('.opp-card').count();
const moves = [];
for (let i = 0; i < rounds; i++) {
  const select = page.locator('.opp-card select.opp-move').first();
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, disabled: o.disabled })));
  const target = options.find((o) => o.value && !o.disabled && !['gagnee', 'perdue'].includes(o.value));
  if (!target) break;
  const answered = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/opportunities/'));
  const t0 = Date.now();
  await select.selectOption(target.value);
  const r = await answered;
  moves.push(Date.now() - t0);
  if (!r.ok()) throw new Error('move refused: ' + (await r.text()));
  await page.waitForTimeout(300);
}
console.log(`board first paint from the menu (${paints.length} opens, ${cards} cards shown): ${fmt(paints)}`);
if (moves.length) console.log(`move saved (${moves.length} moves): ${fmt(moves)}`);
await browser.close();
