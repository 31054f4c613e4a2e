// End-to-end steps of duplicates, merge with undo, and purge (web/src/modules/merge/Merge*.tsx,
// Purge.tsx; docs/merge.md), run by tests/e2e/run.mjs as the demo admin: two near-identical
// contacts (the second through "create anyway" when the server checks for duplicates at entry),
// each with an interaction, merged from the list's "Merge…" and the compare page; the survivor's
// timeline holds both interactions; undo from the merge history brings the second one back with
// its interaction; the purge and duplicates pages render. Screenshots of each page.
//
//   await mergeSteps(page, { base, step, shot, expect })

import { pageApi } from './page_api.mjs';

export async function mergeSteps(page, { base, step, shot, expect }) {
  const mark = 'Fauchereau' + Date.now().toString(36).slice(-5);
  let first = 0, second = 0;

  const call = pageApi(page);  // through the page's own session, as the web app does

  // Both get the same mobile number: a name alone is not enough evidence for the duplicate check.
  const phone = '0612' + String(Date.now()).slice(-6);
  const createContact = async (firstName, email) => {
    await page.goto(base + '/contacts/new');
    await page.getByLabel('Prénom').fill(firstName);
    await page.locator('[data-field="last_name"] input').fill(mark);
    await page.getByLabel('E-mails').fill(email);
    await page.getByLabel('Téléphones').fill(phone);
    await page.getByRole('button', { name: 'Créer' }).click();
  };
  const idFromUrl = async () => {
    await page.waitForURL(/\/contacts\/\d+$/);
    return Number(new URL(page.url()).pathname.split('/').pop());
  };

  await step('merge: two near-identical contacts, the second through "create anyway"', async () => {
    await createContact('Amélie', `amelie.${mark}@exemple.fr`.toLowerCase());
    first = await idFromUrl();
    const doc = (await call('GET', '/openapi.json')).body;
    const checks = !!doc.paths?.['/api/v1/contacts/duplicates/check'];
    await createContact('Amelie', `a.${mark}@exemple.fr`.toLowerCase());
    if (checks) {
      // The server checks for duplicates at entry: "this looks like …" with the first one.
      const warning = page.getByTestId('duplicate-warning');
      await warning.waitFor();
      expect((await warning.locator(`a[href="/contacts/${first}"]`).count()) === 1, 'the warning links the existing contact');
      // It says why, in words from the field comparisons, not with a raw score.
      const reasons = warning.getByTestId('dup-reasons');
      await reasons.first().waitFor();
      const said = await reasons.first().innerText();
      expect(said.includes('même téléphone'), `the warning gives its reasons: ${said}`);
      expect(said.includes('même prénom'), `the first names agree once folded: ${said}`);
      expect(!/score/i.test(await warning.innerText()), 'no raw score in the warning');
      await shot(page, 'merge-create-anyway-1280');
      await page.getByTestId('create-anyway').click();
    }
    second = await idFromUrl();
    expect(second !== first, 'a second contact was created');
    for (const [id, subject] of [[first, 'Appel ' + mark + ' A'], [second, 'Salon ' + mark + ' B']]) {
      const r = await call('POST', '/interactions', { channel: 'phone', contact_id: id, subject });
      expect(r.status === 201, `interaction created: ${r.status}`);
    }
  });

  await step('merge: select both in the list, compare side by side, merge', async () => {
    await page.evaluate(() => sessionStorage.clear()); // the list's filters left by earlier steps
    await page.goto(base + '/contacts');
    await page.getByRole('searchbox', { name: 'Filtrer par texte' }).fill(mark);
    await page.getByRole('checkbox', { name: `Sélectionner Amélie ${mark}` }).check();
    await page.getByRole('checkbox', { name: `Sélectionner Amelie ${mark}` }).check();
    await page.getByTestId('bulk-merge').click();
    await page.getByTestId('compare-table').waitFor();
    const table = page.getByTestId('compare-table');
    expect((await table.locator('tr[data-field=first_name].differs').count()) === 1, 'first names are flagged as different');
    // Why the two look alike, above the table.
    const pairs = await page.getByTestId('compare-pairs').innerText();
    expect(pairs.includes('même téléphone'), `the comparison gives the pair's reasons: ${pairs}`);
    await page.getByTestId(`survivor-${first}`).check();
    // Keep the first one's first name (with its accent), the default for the rest.
    await table.getByRole('radio', { name: `Prénom : Amélie ${mark}` }).check();
    // Values in words: no code, no id, no JSON in the comparison.
    const shown = await table.innerText();
    expect(!/#\d|\{"|_id\b|\b(prescriber|prospect|referral|granted)\b/.test(shown), 'the comparison shows labels: ' + shown.slice(0, 300));
    await shot(page, 'merge-compare-1280');
    await page.getByTestId('merge-run').click();
    await page.getByTestId('merge-done').waitFor();
    // What moved, as a sentence: "… : 1 échange." — not "1 interactions.contact_id".
    const moved = await page.getByTestId('merge-moved').innerText();
    expect(/^Rattachés désormais à la fiche gardée : .*\d+ échange/.test(moved) && !/[a-z]_[a-z]|\.[a-z]/.test(moved), 'moved in words: ' + moved);
    await shot(page, 'merge-done-1280');
  });

  await step('merge: the survivor holds both histories, the old address leads to it', async () => {
    await page.getByRole('link', { name: 'Ouvrir la fiche fusionnée' }).click();
    await page.waitForURL(new RegExp(`/contacts/${first}$`));
    await page.getByText('Appel ' + mark + ' A').waitFor();
    await page.getByText('Salon ' + mark + ' B').waitFor();
    const c = (await call('GET', `/contacts/${first}`)).body;
    expect(c.emails.length === 2, `both e-mail addresses kept: ${JSON.stringify(c.emails)}`);
    expect(c.first_name === 'Amélie', `first name chosen by hand: ${c.first_name}`);
    await shot(page, 'merge-survivor-360-1280');
    await page.goto(`${base}/contacts/${second}`);
    await page.waitForURL(new RegExp(`/contacts/${first}$`));
  });

  await step('merge: undo from the history brings the second contact back with its interaction', async () => {
    await page.goto(base + '/merges');
    const row = page.getByTestId('merge-history').locator('tbody tr').first();
    await row.waitFor();
    await shot(page, 'merge-history-1280');
    await row.getByRole('button', { name: 'Annuler' }).click();
    await page.getByText(/Fusion annulée/).waitFor();
    await page.goto(`${base}/contacts/${second}`);
    await page.getByRole('heading', { level: 1, name: `Amelie ${mark}` }).waitFor();
    await page.getByText('Salon ' + mark + ' B').waitFor();
    const a = (await call('GET', `/interactions?contact_id=${first}`)).body.data;
    expect(a.length === 1, `the survivor keeps only its own interaction after undo (${a.length})`);
    await shot(page, 'merge-undone-360-1280');
  });

  await step('purge and duplicates pages', async () => {
    // Archive the second contact from the API, see it in the purge page's archived list, restore it.
    const r = await call('POST', '/purge/archive', { entity: 'contacts', ids: [second] });
    expect(r.status === 200 && r.body.archived?.length === 1, `archived: ${JSON.stringify(r.body)}`);
    await page.goto(base + '/purge');
    await page.getByRole('heading', { level: 1, name: 'Purger le fichier clients' }).waitFor();
    const archived = page.getByTestId('purge-archived');
    await archived.getByText(`Amelie ${mark}`).waitFor();
    await shot(page, 'purge-1280');
    await archived.locator('tr', { hasText: `Amelie ${mark}` }).getByRole('button', { name: 'Restaurer' }).click();
    await page.getByText(`Amelie ${mark} restaurée.`).waitFor();
    const back = (await call('GET', `/contacts?q=${encodeURIComponent(mark)}`)).body.data;
    expect(back.length === 2, `both contacts listed again: ${back.length}`);
    await page.goto(base + '/duplicates');
    await page.getByRole('heading', { level: 1, name: 'Doublons' }).waitFor();
    await page.waitForLoadState('networkidle');
    // A scan from the page finds the two Amélie again (the merge was undone); "not duplicates"
    // takes their group out of the queue.
    await page.getByTestId('dup-scan').click();
    await page.getByText(/fiches comparées en \d+,\d s/).waitFor({ timeout: 60000 });
    const group = page.getByTestId('dup-cluster').filter({ hasText: mark });
    await group.first().waitFor();
    expect((await group.count()) === 1, `one group holds the two contacts (${await group.count()})`);
    const why = await group.getByTestId('dup-reasons').first().innerText();
    expect(why.includes('même téléphone'), `the group's pair says why: ${why}`);
    await shot(page, 'duplicates-1280');
    await group.getByRole('button', { name: 'Pas des doublons' }).click();
    await page.waitForFunction((m) => ![...document.querySelectorAll('[data-testid=dup-cluster]')].some((e) => e.textContent.includes(m)), mark);
  });
}
