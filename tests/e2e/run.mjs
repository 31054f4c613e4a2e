// End-to-end test of the web interface: playwright-core (from web/node_modules) drives Debian's
// chromium against a gazelle server of its own (free loopback port, fresh demo database in a
// temporary directory), then stops it. Installs nothing.
//
//   node tests/e2e/run.mjs <gazelle binary> [screenshot dir]
//
// Exit 0 = passed, 1 = failed, 77 = skipped (no chromium, no playwright-core, no web/dist).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyticsSteps } from './analytics.mjs';
import { importSteps } from './import.mjs';
import { importFrenchSteps } from './import_french.mjs';
import { accessSteps } from './access.mjs';
import { mergeSteps } from './merge.mjs';
import { catalogueSteps } from './catalogue.mjs';
import { frenchSteps } from './french.mjs';
import { demoSteps } from './demo.mjs';
import { salesSteps } from './sales.mjs';
import { emailSteps } from './email.mjs';
import { serviceSteps } from './service.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const binary = resolve(process.argv[2] || join(root, 'build/gazelle'));
const shots = resolve(process.argv[3] || join(root, 'build/e2e-screenshots'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const webDist = join(root, 'web/dist');

function skip(why) {
  console.log(`e2e: SKIPPED — ${why}`);
  process.exit(77);
}
if (!existsSync(binary)) skip(`no gazelle binary at ${binary}`);
if (!existsSync(chromiumPath)) skip(`no chromium at ${chromiumPath} (scripts/install-deps.sh installs it)`);
if (!existsSync(join(webDist, 'index.html'))) skip('web/dist is not built (make build)');
let chromium;
try {
  ({ chromium } = createRequire(join(root, 'web/package.json'))('playwright-core'));
} catch {
  skip('playwright-core is not installed in web/node_modules (make build runs npm ci)');
}

mkdirSync(shots, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'gazelle-e2e-'));
const started = Date.now();
let server, browser;
let failures = 0;

function startServer() {
  return new Promise((resolveUrl, reject) => {
    server = spawn(binary, ['serve', '--db', join(work, 'e2e.db'), '--host', '127.0.0.1', '--port', '0',
      '--demo-if-new', '--web-dir', webDist], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start in 60 s:\n' + out)), 60000);
    const onData = (d) => {
      out += d.toString();
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', (d) => (out += d.toString()));
    server.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

// E2E_ONLY=catalogue runs the login step and the steps whose names start with "catalogue"
// (the API fixtures before the first step are made whatever E2E_ONLY says).
const only = process.env.E2E_ONLY;
async function step(name, fn) {
  if (only && !name.startsWith('log in') && !name.startsWith(only)) return;
  const t0 = Date.now();
  try {
    await fn();
    console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failures++;
    console.log(`  FAIL ${name}: ${e.message.split('\n').slice(0, 6).join('\n       ')}`);
    throw e;
  }
}

function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
}

async function api(base, cookieJar, method, path, body) {
  const res = await fetch(base + '/api/v1' + path, {
    method,
    headers: { 'Content-Type': 'application/json', Cookie: cookieJar.cookie || '', 'X-CSRF-Token': cookieJar.csrf || '' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const setCookie = res.headers.get('set-cookie');
  if (setCookie) cookieJar.cookie = setCookie.split(';')[0];
  const json = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function login(page, base, email, password) {
  await page.goto(base + '/');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByTestId('current-user').waitFor();
}

try {
  const base = await startServer();
  console.log(`e2e: server at ${base} (demo data ready after ${Date.now() - started} ms)`);

  // Test fixtures through the API: an account of the southern team, invisible to a northern sales rep.
  const admin = {};
  const r = await api(base, admin, 'POST', '/auth/login', { email: 'admin@demo.gazelle.fr', password: 'gazelle-demo' });
  admin.csrf = r.csrf_token;
  const users = (await api(base, admin, 'GET', '/users')).data;
  const zoe = users.find((u) => u.email === 'zoe.nguyen@demo.gazelle.fr');
  const southAccount = await api(base, admin, 'POST', '/accounts', { name: 'Zéphyr Sud Confidentiel', city: 'Marseille', owner_id: zoe.id });
  const hugo = users.find((u) => u.email === 'hugo.lefevre@demo.gazelle.fr');

  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    // Playwright gives every launch a fresh temporary --user-data-dir of its own (it refuses the flag).
  });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  ctx.setDefaultTimeout(10000);
  const page = await ctx.newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));

  let contactUrl = '';
  await step('log in (French by default), name and role shown', async () => {
    await page.goto(base + '/');
    await page.getByRole('heading', { name: 'Connexion à Gazelle' }).waitFor();
    await shot(page, 'login-1280');
    await login(page, base, 'admin@demo.gazelle.fr', 'gazelle-demo');
    const who = await page.getByTestId('current-user').innerText();
    expect(who.includes('Admin Démo') && who.includes('Administrateur'), `user box shows "${who}"`);
    await page.getByRole('heading', { name: 'Ma journée' }).waitFor();
    await page.locator('.chart svg').first().waitFor();
    await shot(page, 'myday-1280');
  });

  await demoSteps(page, { base, step, shot, expect });

  await step('create an account', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Comptes' }).click();
    await page.locator('.table tbody tr').first().waitFor();
    await shot(page, 'accounts-1280');
    await page.getByRole('link', { name: '+ Nouveau' }).click();
    await page.getByLabel('Nom').fill('Brasserie Éole Test');
    await page.getByLabel('Secteur').fill('Restauration');
    await page.getByLabel('Ville').fill('Lille');
    await page.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('heading', { level: 1, name: 'Brasserie Éole Test' }).waitFor();
    expect(/\/accounts\/\d+$/.test(page.url()), 'on the account page: ' + page.url());
  });

  await step('create a contact with a wrong phone number, read the error, fix it', async () => {
    await page.goto(base + '/contacts/new');
    await page.getByLabel('Prénom').fill('Amélie');
    await page.locator('[data-field="last_name"] input').fill('Çavaré-Testeuse');
    await page.locator('[data-field="emails"] textarea').fill('amelie.cavare@example.fr');
    await page.locator('[data-field="phones"] textarea').fill('12');
    // The company, found without its accent.
    await page.locator('[data-field="account_id"] input').fill('brasserie eole');
    await page.getByRole('option', { name: /Brasserie Éole Test/ }).click();
    await page.getByRole('button', { name: 'Créer' }).click();
    const err = page.locator('[data-field="phones"] .field-error');
    await err.waitFor();
    const msg = await err.innerText();
    expect(/phones\[0\]/.test(msg), 'the error names phones[0]: ' + msg);
    expect((await page.locator('[data-field="phones"] textarea').getAttribute('aria-invalid')) === 'true', 'phones is aria-invalid');
    await shot(page, 'contact-form-error-1280');
    await page.locator('[data-field="phones"] textarea').fill('06 12 34 56 78');
    await page.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('heading', { level: 1, name: 'Amélie Çavaré-Testeuse' }).waitFor();
    contactUrl = page.url();
    expect(await page.getByText('06 12 34 56 78').first().isVisible(), 'the phone is shown as written in France');
    expect(await page.getByRole('link', { name: 'Brasserie Éole Test' }).first().isVisible(), 'the company is linked');
  });

  await step('log a call from the 360° page', async () => {
    await page.getByLabel('Appel').check();
    await page.getByLabel('Objet').fill('Appel de découverte');
    await page.getByLabel('Ce qui a été dit').fill('Intéressée par une dégustation en mars.');
    await page.getByLabel('Ce qui a été dit').press('Control+Enter');
    await page.getByText('Échange enregistré.').waitFor();
    const item = page.getByTestId('timeline').locator('li', { hasText: 'Appel de découverte' });
    await item.waitFor();
    expect((await item.innerText()).includes('Appel'), 'the timeline item says it was a call');
  });

  await step('create a follow-up with a due date', async () => {
    const d = new Date(Date.now() + 2 * 86400000);
    const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    await page.getByRole('textbox', { name: 'Nouvelle relance' }).fill('Envoyer le devis de dégustation');
    await page.locator('form.newtask input[type=date]').fill(day);
    await page.getByRole('button', { name: 'Ajouter la relance' }).click();
    await page.locator('.tasks li', { hasText: 'Envoyer le devis de dégustation' }).waitFor();
    await shot(page, 'contact-360-1280');
  });

  await step('the timeline filters by channel', async () => {
    await page.getByLabel("Filtrer l'historique par canal").selectOption('email');
    await page.getByText('Aucun échange pour le moment.').waitFor();
    await page.getByLabel("Filtrer l'historique par canal").selectOption('phone');
    await page.getByTestId('timeline').locator('li', { hasText: 'Appel de découverte' }).waitFor();
  });

  await step('find the contact by searching without accents ("/" shortcut)', async () => {
    await page.goto(base + '/');
    await page.getByRole('heading', { name: 'Ma journée' }).waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('amelie cavare');
    const hit = page.getByRole('option', { name: /Amélie Çavaré-Testeuse/ });
    await hit.waitFor();
    await shot(page, 'search-1280');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Amélie Çavaré-Testeuse' }).waitFor();
    await page.getByTestId('timeline').locator('li', { hasText: 'Appel de découverte' }).waitFor();
  });

  await step('mark the follow-up done', async () => {
    await page.getByRole('button', { name: /Marquer faite: Envoyer le devis/ }).click();
    // The task leaves the open list (the confirmation message is transient and may be gone
    // by the time the list has reloaded), and the server has it done with a completion time.
    await page.locator('.tasks li', { hasText: 'Envoyer le devis de dégustation' }).waitFor({ state: 'detached' });
    const id = contactUrl.split('/').pop();
    const tasks = await api(base, admin, 'GET', `/tasks?contact_id=${id}&limit=50`);
    const task = tasks.data.find((t) => t.title === 'Envoyer le devis de dégustation');
    if (!task || task.status !== 'done' || !task.completed_at) throw new Error('task not done on the server: ' + JSON.stringify(task));
  });

  await step('a stale edit (412) is explained with a choice to reload', async () => {
    const id = contactUrl.split('/').pop();
    await page.goto(`${base}/contacts/${id}/edit`);
    await page.getByLabel('Fonction').fill('Gérante');
    await api(base, admin, 'PATCH', `/contacts/${id}`, { job_title: 'Directrice' }); // someone else
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByTestId('stale').waitFor();
    await shot(page, 'contact-stale-1280');
    await page.getByRole('button', { name: "Recharger l'enregistrement" }).click();
    await page.waitForFunction(() => document.querySelector('[data-field="job_title"] input')?.value === 'Directrice');
  });

  await step('lists: contacts, households, follow-ups, orders load and page', async () => {
    for (const [path, name] of [['/contacts', 'contacts'], ['/households', 'households'], ['/tasks', 'tasks'], ['/orders', 'orders']]) {
      await page.goto(base + path);
      await page.locator('.table tbody tr').first().waitFor();
      await shot(page, `${name}-1280`);
    }
    await page.goto(base + '/contacts');
    await page.locator('.table tbody tr').first().waitFor();
    const before = await page.locator('.table tbody tr').count();
    await page.getByRole('button', { name: 'Charger la suite' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('.table tbody tr').length > n, before);
    await page.getByRole('combobox', { name: 'Étape du cycle de vie' }).selectOption('prospect');
    await page.waitForFunction(() => [...document.querySelectorAll('.table tbody tr')].every((tr) => tr.innerText.includes('Prospect')));
    await page.goto(base + '/accounts/' + (await api(base, admin, 'GET', '/accounts?q=brasserie%20eole')).data[0].id);
    await page.getByRole('heading', { level: 1, name: 'Brasserie Éole Test' }).waitFor();
    await page.getByRole('link', { name: 'Amélie Çavaré-Testeuse' }).first().waitFor();
    await shot(page, 'account-360-1280');
  });

  await step('tags: add one on the 360° page, tag rows in bulk, filter the list by tag', async () => {
    await page.goto(contactUrl);
    await page.getByRole('heading', { level: 1, name: 'Amélie Çavaré-Testeuse' }).waitFor();
    await page.getByRole('textbox', { name: 'Ajouter une étiquette' }).fill('Salon Été');
    await page.getByRole('textbox', { name: 'Ajouter une étiquette' }).press('Enter');
    await page.locator('.chip.tag', { hasText: 'salon ete' }).waitFor();
    await page.goto(base + '/contacts');
    await page.locator('.table tbody tr').nth(1).waitFor();
    const rows = page.locator('.table tbody tr');
    await rows.nth(0).locator('input[type=checkbox]').check();
    await rows.nth(1).locator('input[type=checkbox]').check();
    await page.locator('.bulk-tags input').fill('VIP');
    await page.getByRole('button', { name: 'Ajouter l’étiquette' }).click();
    await page.getByText('Étiquette « vip » ajoutée à 2 fiches.').waitFor();
    await page.locator('#f-contacts-tags').fill('vip');
    await page.locator('#f-contacts-tags').press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.table tbody tr').length === 2);
    const tagged = await api(base, admin, 'GET', '/contacts?tags=vip');
    if (tagged.data.length !== 2) throw new Error('the server has ' + tagged.data.length + ' contacts tagged vip');
    await shot(page, 'contacts-tagged-1280');
  });

  await step('an order page shows its lines and totals; a customer with contacts is not deleted', async () => {
    const order = (await api(base, admin, 'GET', '/orders?limit=20')).data.find((o) => o.lines?.length || o.subtotal_cents);
    await page.goto(`${base}/orders/${order.id}`);
    await page.getByRole('heading', { level: 1, name: `Commande n° ${order.id}` }).waitFor();
    await page.getByRole('cell', { name: 'Sous-total' }).or(page.getByRole('rowheader', { name: 'Sous-total' })).first().waitFor();
    await shot(page, 'order-1280');
    const acc = (await api(base, admin, 'GET', '/accounts?q=brasserie%20eole')).data[0];
    await page.goto(`${base}/accounts/${acc.id}`);
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Supprimer' }).click();
    await page.getByText(/ne peut pas être supprimée tant qu.elle a 1 × Contact/).waitFor();
    if ((await api(base, admin, 'GET', `/accounts/${acc.id}`)).id !== acc.id) throw new Error('the account is gone');
  });

  await step('session expiry: back to login with a message, then to the same page', async () => {
    const target = page.url();
    await ctx.clearCookies();
    await page.getByRole('navigation').getByRole('link', { name: 'Contacts' }).click();
    await page.getByText('Votre session a expiré').waitFor();
    await page.getByLabel('E-mail').fill('admin@demo.gazelle.fr');
    await page.getByLabel('Mot de passe').fill('gazelle-demo');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    expect(page.url().endsWith('/contacts'), 'back on ' + page.url() + ' (from ' + target + ')');
  });

  await step('phone size (375 px): my day, contact 360, contacts list, form', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'fr-FR', isMobile: true, hasTouch: true });
    await phone.addCookies(await ctx.cookies());
    const p = await phone.newPage();
    await p.goto(base + '/');
    await p.evaluate((csrf) => localStorage.setItem('gazelle.csrf', csrf), await page.evaluate(() => localStorage.getItem('gazelle.csrf')));
    await p.goto(base + '/');
    await p.getByRole('heading', { name: 'Ma journée' }).waitFor();
    await p.locator('.chart svg').first().waitFor();
    await shot(p, 'myday-375');
    await p.getByRole('button', { name: 'Menu' }).click();
    await p.getByRole('navigation').getByRole('link', { name: 'Contacts' }).waitFor();
    await shot(p, 'menu-375');
    await p.goto(contactUrl);
    await p.getByRole('heading', { level: 1, name: 'Amélie Çavaré-Testeuse' }).waitFor();
    await shot(p, 'contact-360-375');
    await p.goto(base + '/contacts');
    await p.locator('.table tbody tr').first().waitFor();
    await shot(p, 'contacts-375');
    await p.goto(base + '/contacts/new');
    await p.getByLabel('Prénom').waitFor();
    await shot(p, 'contact-form-375');
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1, `the form page scrolls sideways by ${overflow} px`);
    await phone.close();
  });

  await analyticsSteps(page, { base, step, shot, expect, browser, context: ctx });
  await mergeSteps(page, { base, step, shot, expect });
  await importSteps(page, { base, step, shot, expect });
  await importFrenchSteps(page, { base, step, shot, expect });
  await catalogueSteps(page, { base, step, shot, expect, browser, context: ctx });
  await frenchSteps(page, { base, step, shot, expect, browser, context: ctx });
  await salesSteps(page, { base, step, shot, expect, browser, context: ctx });
  await emailSteps(page, { base, step, shot, expect, browser, context: ctx });
  await serviceSteps(page, { base, step, shot, expect, browser, context: ctx });
  await accessSteps(page, { base, step, shot, expect, browser });
  // E2E_STEPS=<file.mjs>: the steps of a module kept outside this folder (tests/modules/*/), which
  // exports steps(page, helpers) and runs with E2E_ONLY set to its step names' prefix.
  if (process.env.E2E_STEPS) {
    const extra = await import(resolve(process.env.E2E_STEPS));
    await extra.steps(page, { base, step, shot, expect, browser, context: ctx, api: (...a) => api(base, admin, ...a) });
  }

  await step('a sales user does not see another team\'s account', async () => {
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await login(page, base, 'hugo.lefevre@demo.gazelle.fr', 'gazelle-demo');
    const who = await page.getByTestId('current-user').innerText();
    expect(who.includes('Hugo Lefèvre') && who.includes('Commercial'), `user box shows "${who}"`);
    await page.keyboard.press('/');
    await page.keyboard.type('zephyr confidentiel');
    await page.getByText(/Aucun résultat/).waitFor();
    await page.goto(`${base}/accounts/${southAccount.id}`);
    await page.getByText("Cet enregistrement n'existe pas ou ne vous est pas visible.").waitFor();
    await page.goto(base + '/accounts');
    await page.locator('.table tbody tr').first().waitFor();
    await page.getByRole('searchbox', { name: 'Filtrer par texte' }).fill('zephyr');
    await page.getByText('Aucun enregistrement ne correspond.').waitFor();
    // His own contact working at that account (made now: its search text holds the company's
    // name): the 360° names the company without opening it.
    const linkedContact = await api(base, admin, 'POST', '/contacts?allow_duplicate=true',
      { first_name: 'Basile', last_name: 'Passerelle', account_id: southAccount.id, owner_id: hugo.id });
    await page.goto(`${base}/contacts/${linkedContact.id}`);
    await page.getByRole('heading', { level: 1, name: 'Basile Passerelle' }).waitFor();
    const named = page.locator('[data-restricted="accounts"]').first();
    await named.getByText('(non accessible)').waitFor();
    expect((await named.innerText()).includes('Zéphyr Sud Confidentiel'), 'the company is named');
    expect((await page.locator('a[href="/accounts/' + southAccount.id + '"]').count()) === 0, 'no link to the hidden company');
  });

  expect(consoleErrors.length === 0, 'page errors: ' + consoleErrors.join('; '));
} catch (e) {
  if (!failures) {
    failures++;
    console.log('e2e: ERROR ' + (e.stack || e.message));
  }
  try {
    const pages = browser ? browser.contexts().flatMap((c) => c.pages()) : [];
    if (pages[0]) await pages[0].screenshot({ path: join(shots, 'failure.png'), fullPage: true });
  } catch {
    /* ignore */
  }
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => {
      const t = setTimeout(() => {
        server.kill('SIGKILL');
        r();
      }, 5000);
      server.on('exit', () => {
        clearTimeout(t);
        r();
      });
    });
  }
  rmSync(work, { recursive: true, force: true });
}
console.log(`e2e: ${failures ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${shots}`);
process.exit(failures ? 1 : 0);
