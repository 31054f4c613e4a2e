// End-to-end steps of the catalogue-driven pages (web/src/kernel/, docs/web.md), run by
// tests/e2e/run.mjs as the demo admin. Products and households have no page of their own: their
// list, form and record page are built from GET /api/v1/schema. A product is created through the
// generated form (a wrong amount first: the French message under the field), then edited, and its
// audit history shows the change with the field's label; a household is created and edited; a
// contact's 360° page shows its audit history with French field labels; at 390 px the list and
// the form fit the screen.
//
//   await catalogueSteps(page, { base, step, shot, expect, browser, context })

export async function catalogueSteps(page, { base, step, shot, expect, browser, context }) {
  const mark = Date.now().toString(36).slice(-5);
  const productName = `Coffret dégustation ${mark}`;
  let productUrl = '';

  await step('catalogue: the products list comes from the catalogue (no page written for it)', async () => {
    await page.goto(base + '/');
    await page.locator('nav a[href="/products"]').click();
    await page.locator('.list-page[data-entity="products"] h1').waitFor();
    await page.locator('.table tbody tr').first().waitFor();
    const headers = await page.locator('.table thead th').allInnerTexts();
    expect(headers.every((h) => !/_/.test(h)), 'no field code in the column headers: ' + headers.join(' | '));
    await shot(page, 'products-1280');
  });

  await step('catalogue: create a product through the generated form, a wrong amount first', async () => {
    await page.getByRole('link', { name: '+ Nouveau' }).click();
    await page.locator('.form-page[data-entity="products"]').waitFor();
    await page.locator('[data-field="name"] input').fill(productName);
    await page.locator('[data-field="unit_price_cents"] input').fill('douze euros');
    await page.getByRole('button', { name: 'Créer' }).click();
    const err = page.locator('[data-field="unit_price_cents"] .field-error');
    await err.waitFor();
    const msg = await err.innerText();
    expect(/montant en euros/.test(msg), 'a French message under the price: ' + msg);
    expect((await page.locator('[data-field="unit_price_cents"] input').getAttribute('aria-invalid')) === 'true', 'the price is aria-invalid');
    await shot(page, 'product-form-error-1280');
    await page.locator('[data-field="unit_price_cents"] input').fill('12,50');
    await page.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('heading', { level: 1, name: productName }).waitFor();
    productUrl = page.url();
    expect(/\/products\/\d+$/.test(productUrl), 'on the product page: ' + productUrl);
    const details = await page.locator('.record-page .dl').first().innerText();
    expect(/12,50\s?€/.test(details), 'the price in French format: ' + details);
    await shot(page, 'product-1280');
  });

  await step('catalogue: edit the product; its audit history names the field and shows old → new', async () => {
    await page.getByRole('link', { name: 'Modifier' }).click();
    const label = (await page.locator('[data-field="unit_price_cents"] label').innerText()).replace('*', '').trim();
    expect((await page.locator('[data-field="unit_price_cents"] input').inputValue()) === '12,50', 'the form shows 12,50');
    await page.locator('[data-field="unit_price_cents"] input').fill('14,90');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: productName }).waitFor();
    await page.locator('.record-page .dl', { hasText: '14,90' }).first().waitFor();
    await page.getByRole('button', { name: "Afficher l'historique des modifications" }).click();
    const entry = page.getByTestId('audit').locator('li.audit-update').first();
    await entry.waitFor();
    const text = await entry.innerText();
    expect(text.includes('Modification') && text.includes(label) && /12,50/.test(text) && /14,90/.test(text),
      `the change is shown with its label "${label}": ${text}`);
    expect(!/unit_price_cents/.test(text), 'no field code in the history');
    await page.getByTestId('audit').locator('li.audit-create').waitFor();
    await shot(page, 'product-audit-1280');
  });

  await step('catalogue: create a household, then edit it', async () => {
    await page.goto(base + '/households');
    await page.locator('.list-page[data-entity="households"] h1').waitFor();
    await page.getByRole('link', { name: '+ Nouveau' }).click();
    await page.locator('[data-field="name"] input').fill(`Famille Catalogue ${mark}`);
    await page.locator('[data-field="city"] input').fill('Angers');
    await page.locator('[data-field="size"] input').fill('3');
    const attrs = page.locator('[data-field="attributes"]');
    const hasAttrs = (await attrs.count()) > 0;
    if (hasAttrs) {
      await attrs.getByRole('button').click();
      await attrs.locator('input').nth(0).fill('animaux');
      await attrs.locator('input').nth(1).fill('chat');
    }
    await page.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('heading', { level: 1, name: `Famille Catalogue ${mark}` }).waitFor();
    await page.getByTestId('household-members').waitFor({ state: 'attached' });
    await shot(page, 'household-1280');
    await page.getByRole('link', { name: 'Modifier' }).click();
    expect((await page.locator('[data-field="city"] input').inputValue()) === 'Angers', 'the form holds the city');
    await page.locator('[data-field="size"] input').fill('4');
    await page.locator('[data-field="city"] input').fill('Saumur');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Famille Catalogue ${mark}` }).waitFor();
    await page.locator('.record-page dl [data-field="city"] dd', { hasText: 'Saumur' }).waitFor();
    expect((await page.locator('.record-page dl [data-field="size"] dd').innerText()).trim() === '4', 'the size is 4');
    if (hasAttrs) expect((await page.locator('.record-page dl [data-field="attributes"] dd').first().innerText()).includes('chat'), 'the attribute is shown');
  });

  await step("catalogue: a contact's 360° page shows its audit history with French field labels", async () => {
    const id = await page.evaluate(async (m) => {
      const h = { 'Content-Type': 'application/json', 'X-CSRF-Token': localStorage.getItem('gazelle.csrf') };
      const c = await (await fetch('/api/v1/contacts?allow_duplicate=true', { method: 'POST', headers: h,
        body: JSON.stringify({ first_name: 'Aude', last_name: 'Historique' + m, job_title: 'Acheteuse' }) })).json();
      await fetch('/api/v1/contacts/' + c.id, { method: 'PATCH', headers: { ...h, 'If-Match': `"${c.version}"` },
        body: JSON.stringify({ job_title: 'Directrice des achats', lifecycle_stage: 'prospect' }) });
      return c.id;
    }, mark);
    await page.goto(`${base}/contacts/${id}`);
    await page.getByRole('heading', { level: 1, name: `Aude Historique${mark}` }).waitFor();
    await page.getByRole('button', { name: "Afficher l'historique des modifications" }).click();
    const entry = page.getByTestId('audit').locator('li.audit-update').first();
    await entry.waitFor();
    const text = await entry.innerText();
    expect(text.includes('Fonction') && text.includes('Acheteuse') && text.includes('Directrice des achats'),
      'the job title change with its French label: ' + text);
    expect(text.includes('Étape du cycle de vie') && text.includes('Prospect'), 'the stage with its label and value label: ' + text);
    expect(!/job_title|lifecycle_stage|"/.test(text), 'no field code or raw JSON: ' + text);
    const who = await entry.locator('.audit-head').innerText();
    expect(who.includes('Admin Démo'), 'the user is named: ' + who);
    await shot(page, 'contact-audit-1280');
  });

  await step('catalogue: an order with a line through the generated form (child lines)', async () => {
    await page.goto(base + '/orders/new');
    await page.locator('.form-page[data-entity="orders"]').waitFor();
    await page.locator('[data-field="contact_id"] input').fill('aude historique' + mark);
    await page.getByRole('option', { name: new RegExp('Aude Historique' + mark, 'i') }).click();
    const lines = page.locator('[data-child="lines"]');
    await lines.getByRole('button', { name: 'Ajouter une ligne' }).click();
    const product = lines.locator('[data-field="lines[0].product_id"] select');
    await page.waitForFunction(() => document.querySelectorAll('[data-field="lines[0].product_id"] option').length > 2);
    const productLabel = (await product.locator('option').nth(1).innerText()).trim();
    await product.selectOption({ index: 1 });
    await lines.locator('[data-field="lines[0].quantity"] input').fill('deux');
    await page.getByRole('button', { name: 'Créer' }).click();
    const err = lines.locator('[data-field="lines[0].quantity"] .field-error');
    await err.waitFor();
    expect(/nombre entier/.test(await err.innerText()), 'a French message under the quantity');
    await lines.locator('[data-field="lines[0].quantity"] input').fill('2');
    await page.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('heading', { level: 1, name: /Commande n° \d+/ }).waitFor();
    await page.locator('.order-lines tbody tr', { hasText: productLabel }).waitFor();
    await shot(page, 'order-created-1280');
  });

  await step('catalogue at 390 px: the products list and its form fit the screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', isMobile: true, hasTouch: true });
    await phone.addCookies(await context.cookies());
    const p = await phone.newPage();
    await p.goto(base + '/');
    await p.evaluate((csrf) => localStorage.setItem('gazelle.csrf', csrf), await page.evaluate(() => localStorage.getItem('gazelle.csrf')));
    await p.goto(base + '/products');
    await p.locator('.table tbody tr').first().waitFor();
    await p.getByRole('link', { name: '+ Nouveau' }).waitFor();
    await shot(p, 'products-390');
    let overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1, `the list page scrolls sideways by ${overflow} px`);
    await p.getByRole('link', { name: '+ Nouveau' }).click();
    await p.locator('[data-field="name"] input').waitFor();
    await shot(p, 'product-form-390');
    overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1, `the form scrolls sideways by ${overflow} px`);
    const box = await p.locator('[data-field="name"] input').boundingBox();
    expect(box && box.width > 200 && box.x >= 0 && box.x + box.width <= 390, 'the name input is wide enough and on screen');
    await p.goto(productUrl);
    await p.getByRole('heading', { level: 1, name: productName }).waitFor();
    await shot(p, 'product-390');
    await phone.close();
  });
}
