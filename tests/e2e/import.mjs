// End-to-end step of the import wizard (web/src/modules/import/ImportWizard.tsx; docs/import.md), run by
// tests/e2e/run.mjs as the demo admin: a small contact CSV with one bad row (an invalid e-mail) is
// uploaded, its columns are mapped (suggested from the French headers, one chosen by hand), the
// dry run shows the rows as they would be stored and the bad row's error, the import runs with
// its progress bar to "done", the result shows the counts and the rejected row can be downloaded;
// the imported contacts exist on the server. Screenshots of the mapping and of the result.
//
//   await importSteps(page, { base, step, shot, expect })

import { readFileSync } from 'node:fs';

export async function importSteps(page, { base, step, shot, expect }) {
  const mark = 'Import' + Date.now().toString(36).slice(-5);
  const csv =
    'Référence;Prénom;Nom;Courriel;Ville;Remarque\n' +
    `${mark}-1;Zoé;Aubert${mark};zoe.aubert@exemple.fr;Lyon;ok\n` +
    `${mark}-2;Hélène;Brun${mark};pas-un-courriel;Lille;mauvaise ligne\n` +
    `${mark}-3;Jules;Carré${mark};jules.carre@exemple.fr;Nantes;ok\n`;

  await step('import: upload a CSV, map the columns, dry run with the bad row and a row that looks like a stored contact', async () => {
    await page.goto(base + '/import');
    // Jules Carré is already in the base: the dry run says that line 4 looks like him.
    const created = await page.evaluate(async (m) => (await fetch('/api/v1/contacts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': localStorage.getItem('gazelle.csrf') },
      body: JSON.stringify({ first_name: 'Jules', last_name: 'Carré' + m, emails: ['jules.carre@exemple.fr'] }),
    })).status, mark);
    expect(created === 201, `the existing contact is created (${created})`);
    await page.getByRole('heading', { name: 'Importer un fichier' }).waitFor();
    await page.locator('input[type=file]').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf-8') });
    await page.locator('.mapping-table').waitFor();
    // Suggested from the headers: Prénom → first_name, Nom → last_name, Courriel → emails, Ville → city.
    expect((await page.getByLabel('Champ pour la colonne Prénom').inputValue()) === 'first_name', 'Prénom suggested as first_name');
    expect((await page.getByLabel('Champ pour la colonne Courriel').inputValue()) === 'emails', 'Courriel suggested as emails');
    await page.getByLabel('Champ pour la colonne Référence').selectOption('external_id');
    await page.getByLabel('Champ pour la colonne Remarque').selectOption('-');
    // The fields offered are named as the catalogue names them, not by their codes.
    const offered = await page.getByLabel('Champ pour la colonne Prénom').locator('option').allInnerTexts();
    expect(offered.includes('Prénom') && offered.includes('E-mails') && offered.includes('Consentement') && !offered.some((o) => /_/.test(o)),
      'target fields by label: ' + offered.join(', '));
    await shot(page, 'import-mapping-1280');
    await page.getByRole('button', { name: 'Vérifier (essai à blanc)' }).click();
    await page.locator('.errors-table').waitFor();
    const errors = await page.locator('.errors-table tbody tr').allTextContents();
    expect(errors.length === 1 && errors[0].includes('3') && errors[0].includes('Courriel'), 'one error, line 3, column Courriel: ' + errors.join(' | '));
    expect((await page.locator('.preview-table tbody tr').count()) === 2, 'two rows previewed as stored');
    // A table with labelled columns, values as the record pages show them: no code, no JSON.
    const heads = await page.locator('.preview-table thead th').allInnerTexts();
    expect(heads.some((h) => /prénom/i.test(h)) && heads.some((h) => /^nom$/i.test(h.trim())), 'labelled columns: ' + heads.join(', '));
    const previewText = await page.locator('.preview-table').innerText();
    expect(previewText.includes('Zoé') && !/[{}]|first_name|last_name/.test(previewText), 'preview in words: ' + previewText.slice(0, 200));
    const dups = page.getByTestId('import-duplicates');
    await dups.waitFor();
    const rows = await dups.locator('tbody tr').allTextContents();
    expect(rows.length === 1 && rows[0].startsWith('4') && rows[0].includes('Carré' + mark), 'line 4 looks like the stored contact: ' + rows.join(' | '));
    await shot(page, 'import-preview-duplicates-1280');
  });

  await step('import: run with progress, result with counts and the reject file', async () => {
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.locator('.import-result').waitFor({ timeout: 20000 });
    const result = await page.locator('.import-result').textContent();
    expect(result.includes('Créées 2') && result.includes('rejetées 1'), 'counts: ' + result);
    // The check step had found line 4 like a stored contact: the run notes it as a probable duplicate.
    const noted = await page.getByTestId('import-run-duplicates').textContent();
    expect(noted.startsWith('Une ligne importée ressemble'), 'the run notes the probable duplicate: ' + noted);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger les lignes rejetées' }).click(),
    ]);
    // The rejected rows as they were in the file, with a reason column, to correct and import again.
    expect(download.suggestedFilename() === 'clients-rejets.csv', 'reject file downloaded: ' + download.suggestedFilename());
    const rejected = readFileSync(await download.path(), 'utf-8');
    expect(rejected.startsWith('Référence;Prénom;Nom;Courriel;Ville;Remarque;Motif du rejet\r\n') &&
      rejected.includes(`${mark}-2;Hélène;Brun${mark};pas-un-courriel;Lille;mauvaise ligne;Courriel`), 'the original row: ' + rejected);
    const [warnings] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger les avertissements' }).click(),
    ]);
    expect(warnings.suggestedFilename().endsWith('-warnings.csv'), 'warnings file downloaded');
    await shot(page, 'import-result-1280');
    const found = await page.evaluate(async (names) => {
      let n = 0;
      for (const q of names) n += (await (await fetch('/api/v1/contacts?q=' + encodeURIComponent(q))).json()).data.length;
      return n;
    }, ['Aubert' + mark, 'Carré' + mark, 'Brun' + mark]);
    expect(found === 3, `the two good rows are contacts, beside the one already there (${found})`);
  });
}
