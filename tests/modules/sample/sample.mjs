// Browser steps of the sample module (run by tests/e2e/run.mjs with E2E_STEPS=this file and
// E2E_ONLY=sample against gazelle_sample): its entity has a menu entry, a list, a form with its
// child lines and a record page, none of which was written for it — all come from the catalogue.
export async function steps(page, { base, step, shot, expect }) {
  const title = 'Visite dégustation ' + Date.now().toString(36).slice(-5);

  await step("sample: the module's entity is in the menu with its French label", async () => {
    await page.goto(base + '/');
    await page.getByRole('navigation').getByRole('link', { name: 'Comptes rendus de visite' }).click();
    await page.locator('.list-page[data-entity="visit_reports"] h1').waitFor();
    expect((await page.locator('.list-page h1').innerText()).includes('Comptes rendus de visite'), 'list title');
  });

  await step('sample: create a report with lines, a wrong quantity first', async () => {
    await page.getByRole('link', { name: '+ Nouveau' }).click();
    await page.locator('.form-page[data-entity="visit_reports"]').waitFor();
    await page.locator('[data-field="title"] input').fill(title);
    await page.locator('[data-field="outcome"] select').selectOption({ label: 'À relancer' });
    const child = page.locator('[data-child="items"]');
    await child.getByRole('button', { name: /ligne/i }).click();
    await page.locator('[data-field="items[0].label"] input').fill('Coffret thé vert');
    await page.locator('[data-field="items[0].quantity"] input').fill('0');
    await page.getByRole('button', { name: 'Créer' }).click();
    const err = page.locator('[data-field="items[0].quantity"] .field-error');
    await err.waitFor();
    await shot(page, 'sample-form-error-1280');
    await page.locator('[data-field="items[0].quantity"] input').fill('3');
    await page.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text.includes('À relancer'), 'the outcome is shown by its label');
    expect(text.includes('Coffret thé vert'), 'the line is shown');
    expect(!/follow_up|total_quantity|visit_reports/.test(text), 'no code shown: ' + text.slice(0, 400));
    await shot(page, 'sample-record-1280');
  });

  await step('sample: the list shows the new report and finds it by search', async () => {
    await page.goto(base + '/visit_reports');
    await page.locator('.table tbody tr', { hasText: title }).waitFor();
    const headers = await page.locator('.table thead th').allInnerTexts();
    expect(headers.some((h) => /issue/i.test(h)) && headers.every((h) => !/_/.test(h)), 'labelled headers: ' + headers.join(' | '));
  });
}
