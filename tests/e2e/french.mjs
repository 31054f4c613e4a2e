// End-to-end steps of "French everywhere" (issue 14, web side), run by tests/e2e/run.mjs as the
// demo admin:
// - lists name the records they link to from their own answer: the orders, follow-ups, contacts
//   and interactions lists make a handful of API requests, none per linked record;
// - every page of the menu (and a record, form and 360° page of each kind) fits a phone
//   (375 px: document.documentElement.scrollWidth <= 375; tables scroll inside their own box)
//   and a desktop (1280 px), and shows no English decimal point, no "#12", no JSON;
// - the profitability tables keep their key column ("Bénéfice net") in view at 1280 px;
// - labels from the catalogue where codes were: household attributes ("Âges des enfants :
//   1 an, 4 ans", "Propriétaire occupant : oui"), consent origins ("Salon"), phones as written
//   in France ("06 70 15 80 65") and abroad ("+44 20 7946 0958");
// - a refused save brings the first wrong field into view and focuses it (at 375 px, where the
//   field is far above the button);
// - an order is created and edited from the web with its lines: product, quantity, unit price in
//   euros, live totals, a line moved up, a wrong quantity reported under that line's input.
//
//   await frenchSteps(page, { base, step, shot, expect, browser, context })

import { pageApi } from './page_api.mjs';

const pathsToWalk = [
  '/', '/accounts', '/contacts', '/households', '/tasks', '/interactions', '/orders', '/products', '/duplicates',
  '/merges', '/purge', '/import', '/analytics/rfm', '/analytics/profitability', '/analytics/concentration',
  '/analytics/cohorts', '/analytics/clv', '/analytics/tiers', '/analytics/demand', '/analytics/settings', '/account',
  '/users', '/settings/company', '/contacts/new', '/accounts/new', '/orders/new', '/tasks/new', '/households/new', '/products/new',
];

export async function frenchSteps(page, { base, step, shot, expect, browser, context }) {
  const call = pageApi(page);
  // A record of each kind, for the record pages of the walk.
  const first = async (entity, query = '') => (await call('GET', `/${entity}?limit=1${query}`)).body.data[0];
  const records = {};
  for (const e of ['contacts', 'accounts', 'households', 'orders', 'tasks', 'products', 'interactions']) records[e] = await first(e);
  const walk = [...pathsToWalk, ...Object.entries(records).filter(([, r]) => r).flatMap(([e, r]) => [`/${e}/${r.id}`, `/${e}/${r.id}/edit`])];

  // What a page shows, as text: the main column (inputs' values are not text).
  const visibleText = (p) => p.evaluate(() => document.querySelector('main')?.innerText ?? '');
  const settle = async (p) => {
    await p.waitForLoadState('networkidle');
    await p.locator('main [role=status]', { hasText: 'Chargement' }).first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
  };

  await step('french: lists name what they link to in one answer (no request per linked record)', async () => {
    for (const path of ['/orders', '/tasks', '/contacts', '/interactions']) {
      const requests = [];
      const onRequest = (r) => {
        const u = new URL(r.url());
        if (u.pathname.startsWith('/api/')) requests.push(r.method() + ' ' + u.pathname + u.search);
      };
      await page.goto(base + '/');
      await page.getByRole('heading', { name: 'Ma journée' }).waitFor();
      await page.evaluate(() => sessionStorage.clear());
      page.on('request', onRequest);
      await page.goto(base + path);
      await page.locator('.table tbody tr').first().waitFor();
      await settle(page);
      page.off('request', onRequest);
      // What the app asks for on any page (session, catalogue, users) aside: the list, once.
      const perRecord = requests.filter((r) => /^GET \/api\/v1\/[a-z_]+\/\d+$/.test(r.split('?')[0]));
      const lists = requests.filter((r) => r.startsWith('GET /api/v1' + path + '?'));
      expect(perRecord.length === 0, `${path}: no request per linked record, got ${perRecord.length}: ${perRecord.slice(0, 3).join(', ')}`);
      expect(lists.length === 1 && requests.length <= 6, `${path}: ${requests.length} API requests: ${requests.join(', ')}`);
      // The linked names are there, not "…" nor ids.
      const text = await page.locator('.table tbody').innerText();
      expect(!/…|#\d/.test(text), `${path}: every linked record is named: ${text.slice(0, 200)}`);
    }
  });

  const phoneContext = async (width) => {
    const ctx = await browser.newContext({ viewport: { width, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris',
      isMobile: width < 500, hasTouch: width < 500 });
    await ctx.addCookies(await context.cookies());
    const p = await ctx.newPage();
    await p.goto(base + '/');
    await p.evaluate((csrf) => localStorage.setItem('gazelle.csrf', csrf), await page.evaluate(() => localStorage.getItem('gazelle.csrf')));
    return { ctx, p };
  };

  for (const width of [375, 1280]) {
    await step(`french: every page fits ${width} px and writes numbers in French (no "3.5", no "#12", no JSON)`, async () => {
      const { ctx, p } = await phoneContext(width);
      const errors = [];
      p.on('pageerror', (e) => errors.push(e.message));
      const wide = [], english = [];
      for (const path of walk) {
        await p.goto(base + path);
        await p.locator('main h1').first().waitFor();
        await settle(p);
        const sw = await p.evaluate(() => document.documentElement.scrollWidth);
        if (sw > width) wide.push(`${path} ${sw}px`);
        const text = await visibleText(p);
        // 1.5 or 12.80 (an English decimal point), #12 (an id), {"…" (JSON). Times are "14:05".
        const bad = text.match(/(^|[^\w.])\d+\.\d+(?![\w.])|#\d+|\{"/m);
        if (bad) english.push(`${path}: "${text.slice(Math.max(0, bad.index - 30), bad.index + 30).replace(/\s+/g, ' ')}"`);
        if (width === 375 && ['/tasks', '/duplicates', '/orders/new', '/analytics/profitability'].includes(path))
          await shot(p, 'fit' + path.replaceAll('/', '-') + '-375');
      }
      await ctx.close();
      expect(!wide.length, `pages wider than ${width} px: ${wide.join(', ')}`);
      expect(!english.length, `numbers, ids or JSON not written for a reader: ${english.join(' | ')}`);
      expect(!errors.length, 'page errors: ' + errors.join('; '));
    });
  }

  await step('french: the profitability tables show their key column ("Bénéfice net") at 1280 px', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(base + '/analytics/profitability');
    for (const id of ['profit-top', 'profit-bottom']) {
      const table = page.getByTestId(id);
      await table.locator('tbody tr').first().waitFor();
      const inView = await table.evaluate((t) => {
        const box = t.closest('.table-wrap').getBoundingClientRect();
        const th = [...t.querySelectorAll('th')].find((x) => x.textContent.trim().toLowerCase() === 'bénéfice net');
        if (!th) return 'no column';
        const r = th.getBoundingClientRect();
        return r.right <= box.right + 1 && r.left >= box.left - 1 ? 'ok' : `column at ${r.left}-${r.right}, box ${box.left}-${box.right}`;
      });
      expect(inView === 'ok', `${id}: Bénéfice net in view: ${inView}`);
    }
    await shot(page, 'profitability-1280');
  });

  await step('french: household attributes, consent origins and phones in words', async () => {
    const hh = await call('POST', '/households', { name: 'Famille Testeur Attributs', attributes: { children_ages: [1, 4], owner_occupier: true, housing: 'appartement' } });
    expect(hh.status === 201, 'household created: ' + hh.status);
    await page.goto(`${base}/households/${hh.body.id}`);
    const attrs = page.locator('[data-field=attributes]');
    await attrs.waitFor();
    const text = (await attrs.innerText()).replace(/\s+/g, ' ');
    expect(text.includes('Âges des enfants') && text.includes('1 an, 4 ans'), 'children ages in words: ' + text);
    expect(text.includes('Propriétaire occupant') && /Propriétaire occupant Oui/i.test(text), 'owner-occupier in words: ' + text);
    expect(!/children|owner_occupier|true/.test(text), 'no code: ' + text);
    const c = await call('POST', '/contacts?allow_duplicate=true', {
      first_name: 'Odile', last_name: 'Salonnière', phones: ['+33670158065', '+442079460958'],
      // phone: no origin given, the server records who entered it ("entered by <name>"), shown in words.
      consent: { email: { status: 'granted', origin: 'trade fair' }, sms: { status: 'denied', origin: 'web form' }, phone: { status: 'granted' } },
    });
    expect(c.status === 201, 'contact created: ' + c.status);
    await page.goto(`${base}/contacts/${c.body.id}`);
    await page.getByRole('heading', { level: 1, name: 'Odile Salonnière' }).waitFor();
    const origins = await page.locator('.consent-origin').allInnerTexts();
    expect(origins.some((o) => o.includes('Salon')) && origins.some((o) => o.includes('Formulaire web')), 'consent origins in French: ' + origins.join(' | '));
    expect(origins.some((o) => /Saisi par \S/.test(o)) && !origins.some((o) => o.includes('entered by')),
      'a consent entered by hand says who entered it, in French: ' + origins.join(' | '));
    const main = await visibleText(page);
    expect(main.includes('06 70 15 80 65') && main.includes('+44 20 7946 0958'), 'phones as written: ' + main.slice(0, 400));
    expect(!main.includes('+33670158065') && !/trade fair|web form|entered by/.test(main), 'no E.164 French number, no English origin');
    await page.goto(`${base}/contacts?q=salonniere`);
    await page.locator('.table tbody tr', { hasText: 'Salonnière' }).waitFor();
    expect((await page.locator('.table tbody tr', { hasText: 'Salonnière' }).innerText()).includes('06 70 15 80 65'), 'the list shows the French format');
    await page.keyboard.press('/');
    await page.keyboard.type('salonniere');
    const hit = page.getByRole('option', { name: /Odile Salonnière/ });
    await hit.waitFor();
    expect((await hit.innerText()).includes('06 70 15 80 65'), 'the search result shows the French format: ' + (await hit.innerText()));
    await page.keyboard.press('Escape');
  });

  await step('french: a refused save brings the first wrong field into view, focused, its message beside it (375 px)', async () => {
    const { ctx, p } = await phoneContext(375);
    await p.goto(base + '/contacts/new');
    await p.locator('[data-field="last_name"] input').fill('Champfaux');
    await p.locator('[data-field="phones"] textarea').fill('12');
    const create = p.getByRole('button', { name: 'Créer' });
    await create.scrollIntoViewIfNeeded();
    await create.click();
    const err = p.locator('[data-field="phones"] .field-error');
    await err.waitFor();
    await p.waitForTimeout(300);
    const state = await p.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return { focused: a.closest('[data-field]')?.getAttribute('data-field'), top: r.top, bottom: r.bottom, h: window.innerHeight };
    });
    expect(state.focused === 'phones', 'the phones input has the focus: ' + state.focused);
    expect(state.top >= 0 && state.bottom <= state.h, `the wrong field is on screen: ${state.top}-${state.bottom} of ${state.h}`);
    const errBox = await err.boundingBox();
    expect(errBox && errBox.y >= 0 && errBox.y + errBox.height <= state.h, 'its message is on screen too');
    await shot(p, 'form-error-focus-375');
    await ctx.close();
  });

  await step('french: an order is created with its lines (product, quantity, euros), live totals, a line moved, a wrong quantity under its line', async () => {
    const contact = (await call('GET', '/contacts?limit=1&sort=last_name')).body.data[0];
    const products = (await call('GET', '/products?limit=3&sort=name')).body.data;
    await page.goto(base + '/orders');
    await page.getByRole('link', { name: '+ Nouveau' }).click();
    await page.getByRole('heading', { name: 'Nouvelle fiche : Commande' }).waitFor();
    await page.locator('[data-field="contact_id"] input').fill(contact.last_name);
    await page.getByRole('option', { name: new RegExp(contact.last_name) }).first().click();
    const lines = page.locator('[data-child=lines]');
    await lines.getByRole('button', { name: 'Ajouter une ligne' }).click();
    await lines.getByRole('button', { name: 'Ajouter une ligne' }).click();
    const row = (i) => lines.locator(`.child-row[data-line="${i}"]`);
    await row(0).locator(`[data-field="lines[0].product_id"] select`).selectOption(String(products[0].id));
    await row(0).locator(`[data-field="lines[0].quantity"] input`).fill('2');
    await row(1).locator(`[data-field="lines[1].description"] input`).fill('Prestation sur mesure');
    await row(1).locator(`[data-field="lines[1].quantity"] input`).fill('3');
    await row(1).locator(`[data-field="lines[1].unit_price_cents"] input`).fill('12,50');
    // Live totals from the server's own rules: 2 × the product's price + 3 × 12,50 €.
    const expected = 2 * products[0].unit_price_cents + 3 * 1250;
    const euros = (c) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(c / 100);
    const totals = page.getByTestId('live-totals');
    await page.waitForFunction(([sel, want]) => document.querySelector(sel)?.innerText.includes(want),
      ['[data-testid=live-totals] [data-field=total_cents]', euros(expected)]);
    expect((await row(1).locator('.computed output').innerText()) === euros(3750), 'the line total is computed as typed');
    expect((await row(0).locator(`[data-field="lines[0].unit_price_cents"] .hint`).innerText()).includes(euros(products[0].unit_price_cents).replace(/\s/g, ' ').slice(0, 3)),
      "the product's price is shown as the line's default");
    // Move the second line up, then make its quantity wrong: the error sits under that line's input.
    await lines.getByRole('button', { name: 'Monter la ligne 2' }).click();
    expect((await row(0).locator(`[data-field="lines[0].description"] input`).inputValue()) === 'Prestation sur mesure', 'the line moved up');
    await row(0).locator(`[data-field="lines[0].quantity"] input`).fill('0');
    await page.getByRole('button', { name: 'Créer' }).click();
    const err = row(0).locator('[data-field="lines[0].quantity"] .field-error');
    await err.waitFor();
    expect(await row(0).locator('[data-field="lines[0].quantity"] input').evaluate((el) => el === document.activeElement), 'the wrong quantity is focused');
    await shot(page, 'order-form-error-1280');
    await row(0).locator(`[data-field="lines[0].quantity"] input`).fill('3');
    await totals.waitFor();
    await shot(page, 'order-form-1280');
    await page.getByRole('button', { name: 'Créer' }).click();
    await page.waitForURL(/\/orders\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const order = (await call('GET', `/orders/${id}`)).body;
    expect(order.lines.length === 2 && order.lines[0].description === 'Prestation sur mesure' && order.total_cents === expected,
      'stored with its lines in order: ' + JSON.stringify(order.lines.map((l) => [l.description, l.quantity])) + ' total ' + order.total_cents);
    // Edit: remove the first line; the total follows.
    await page.goto(`${base}/orders/${id}/edit`);
    await page.locator('[data-child=lines] .child-row').nth(1).waitFor();
    await page.getByRole('button', { name: 'Retirer la ligne 1' }).click();
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.waitForURL(new RegExp(`/orders/${id}$`));
    const edited = (await call('GET', `/orders/${id}`)).body;
    expect(edited.lines.length === 1 && edited.total_cents === 2 * products[0].unit_price_cents, 'edited: ' + edited.total_cents);
  });
}
