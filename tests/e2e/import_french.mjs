// End-to-end steps of the import wizard with a file as French Excel writes it (issue 14,
// docs/import.md), run by tests/e2e/run.mjs as the demo admin: "CSV (séparateur : point-virgule)"
// is Windows-1252 with ";", its headers in French (Prénom, Courriel, Portable, Code postal,
// Société), phones written with dots, brackets and 0033, one number too short to be used.
// - the wizard says the file was read as Windows-1252 (detected), the accents come out right and
//   the columns are suggested from the French headers (Société: the company by its name);
// - the check step lists the unusable number as a warning (the row is kept), in French;
// - the import creates every row, links the company, keeps the good numbers in E.164;
// - the same file imported a second time matches every row by e-mail: nothing created twice, the
//   wizard says how many matched;
// - everything the wizard shows is French (no English message from the server).
// The file is generated here (no binary fixture).
//
//   await importFrenchSteps(page, { base, step, shot, expect })
import { pageApi } from './page_api.mjs';

// Windows-1252 bytes of a text: Latin-1, plus the 0x80–0x9F block (€, œ, ’, …).
const CP1252_EXTRA = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02c6: 0x88,
  0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91, 0x2019: 0x92, 0x201c: 0x93,
  0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98, 0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b,
  0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};
function cp1252(text) {
  const bytes = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) bytes.push(c);
    else if (CP1252_EXTRA[c]) bytes.push(CP1252_EXTRA[c]);
    else throw new Error('not in Windows-1252: ' + ch);
  }
  return Buffer.from(bytes);
}

// English the server or the wizard would show if a message were not translated.
const ENGLISH = [
  /\bis too short\b/, /\bset aside\b/, /\bphone number\b/, /\brows?\b/, /\bcreated\b/, /\bupdated\b/, /\bmatched\b/,
  /\bwarnings?\b/i, /\brejected\b/, /\blooks like\b/, /\bthe record\b/, /\bRejection reason\b/, /\bdetected\b/,
];

export async function importFrenchSteps(page, { base, step, shot, expect }) {
  const call = pageApi(page);
  const mark = 'Xl' + Date.now().toString(36).slice(-5);
  const company = `Brasserie Éole ${mark}`;
  const rows = [
    ['Prénom', 'Nom', 'Courriel', 'Portable', 'Code postal', 'Ville', 'Société'],
    ['Hélène', `Lefèvre${mark}`, `helene.${mark}@exemple.fr`, '06.12.34.56.78', '59000', 'Lille', `BRASSERIE EOLE ${mark}`],
    ['Éric', `Cœur${mark}`, `eric.${mark}@exemple.fr`, '+33 (0)6 23 45 67 89', '34200', 'Sète', ''],
    ['Marc', `Petit${mark}`, `marc.${mark}@exemple.fr`, '07 11 22', '44000', 'Nantes', ''],
    ['Zoé', `Aubert${mark}`, `zoe.${mark}@exemple.fr`, '0033 7 81 22 33 44', '69001', 'Lyon', ''],
  ];
  const file = { name: 'clients-excel.csv', mimeType: 'text/csv', buffer: cp1252(rows.map((r) => r.join(';')).join('\r\n') + '\r\n') };
  expect(file.buffer.includes(0xe8) && file.buffer.includes(0x9c) && !file.buffer.includes(0xc3), 'the file is Windows-1252, not UTF-8');
  const mainText = () => page.evaluate(() => document.querySelector('main')?.innerText ?? '');
  const noEnglish = async (where) => {
    const text = await mainText();
    const found = ENGLISH.filter((re) => re.test(text)).map(String);
    expect(found.length === 0, `${where}: English on the page (${found.join(', ')}): ${text.slice(0, 600)}`);
  };
  const people = async () => (await call('GET', `/contacts?q=${encodeURIComponent(mark)}&limit=50`)).body.data;

  await step('import (French Excel): a Windows-1252 file with ";" is read as such, columns suggested from French headers', async () => {
    const acc = await call('POST', '/accounts', { name: company, city: 'Lille' });
    expect(acc.status === 201, `the company exists (${acc.status})`);
    await page.goto(base + '/import');
    await page.getByRole('heading', { name: 'Importer un fichier' }).waitFor();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.locator('.mapping-table').waitFor();
    const read = await page.getByTestId('import-encoding').innerText();
    expect(read.includes('Windows-1252') && read.includes('détecté') && read.includes('« ; »'), 'encoding said: ' + read);
    const sample = await page.locator('.mapping-table').innerText();
    expect(sample.includes(`Lefèvre${mark}`) && sample.includes('Cœur') && !sample.includes('\ufffd'), 'accents read right: ' + sample.slice(0, 300));
    const suggested = {
      Prénom: 'first_name', Nom: 'last_name', Courriel: 'emails', Portable: 'phones', 'Code postal': 'postcode', Ville: 'city',
      Société: 'account_name',
    };
    for (const [column, field] of Object.entries(suggested)) {
      const got = await page.getByLabel(`Champ pour la colonne ${column}`).inputValue();
      expect(got === field, `${column} suggested as ${field}, not ${got}`);
    }
    await shot(page, 'import-french-excel-mapping-1280');
    await noEnglish('mapping step');
  });

  await step('import (French Excel): the check step keeps the row with an unusable number and says so in French', async () => {
    await page.getByRole('button', { name: 'Vérifier (essai à blanc)' }).click();
    await page.locator('.preview-table').waitFor();
    expect((await page.locator('.errors-table').count()) === 0, 'no row rejected');
    // French typography: no-break spaces inside « » and before ":" and ";" (read as spaces here).
    const warnings = (await page.locator('.warnings-table tbody tr').allInnerTexts()).map((w) => w.replace(/[\u00a0\u202f]/g, ' '));
    expect(warnings.length === 1, 'one warning: ' + warnings.join(' | '));
    expect(/4/.test(warnings[0]) && warnings[0].includes('Portable') && warnings[0].includes('« 07 11 22 » est trop court') &&
      warnings[0].includes(`Marc Petit${mark}`), 'the number set aside, named: ' + warnings[0]);
    const counts = await page.locator('main').getByText(/lignes vérifiées/).innerText();
    expect(counts.includes('4 à créer') && counts.includes('0 rejetée.'), 'counts: ' + counts);
    await noEnglish('check step');
  });

  await step('import (French Excel): imported with the company linked and the numbers in E.164', async () => {
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.locator('.import-result').waitFor({ timeout: 20000 });
    const result = await page.locator('.import-result').innerText();
    expect(result.includes('Créées 4') && result.includes('rejetées 0') && result.includes('avertissements 1'), 'counts: ' + result);
    expect(result.includes('mis de côté'), 'the set-aside number is listed: ' + result);
    await shot(page, 'import-french-excel-result-1280');
    await noEnglish('result');
    const list = await people();
    const by = (n) => list.find((c) => c.last_name === n + mark);
    expect(list.length === 4, `four contacts (${list.length})`);
    expect(by('Lefèvre')?.first_name === 'Hélène' && by('Cœur')?.city === 'Sète', 'names as written: ' + JSON.stringify(list.map((c) => c.last_name)));
    expect(JSON.stringify(by('Lefèvre').phones) === '["+33612345678"]', 'dotted phone: ' + JSON.stringify(by('Lefèvre').phones));
    expect(JSON.stringify(by('Cœur').phones) === '["+33623456789"]', '+33 (0) phone: ' + JSON.stringify(by('Cœur').phones));
    expect(JSON.stringify(by('Aubert').phones) === '["+33781223344"]', '0033 phone: ' + JSON.stringify(by('Aubert').phones));
    expect(by('Petit') && (by('Petit').phones || []).length === 0, 'the row with the unusable number is imported without it');
    const acc = (await call('GET', `/accounts?q=${encodeURIComponent(mark)}`)).body.data[0];
    expect(acc && by('Lefèvre').account_id === acc.id, 'Société linked to the company by its name');
  });

  await step('import (French Excel): the same file again matches every row by e-mail, nothing is duplicated', async () => {
    await page.locator('input[type=file]').setInputFiles(file);
    await page.locator('.mapping-table').waitFor();
    await page.getByRole('button', { name: 'Vérifier (essai à blanc)' }).click();
    await page.getByTestId('import-matched').waitFor();
    const matched = await page.getByTestId('import-matched').innerText();
    expect(matched.startsWith('4 lignes correspondent') && matched.includes('e-mail'), 'matches announced: ' + matched);
    expect((await page.getByTestId('reimport-warning').count()) === 0, 'no "adds every row again" warning');
    await noEnglish('second check step');
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.locator('.import-result').waitFor({ timeout: 20000 });
    const result = await page.locator('.import-result').innerText();
    expect(result.includes('Créées 0') && result.includes('inchangées 4'), 'nothing created: ' + result);
    const said = await page.getByTestId('import-run-matched').innerText();
    expect(said.startsWith('4 lignes correspondaient') && said.includes('rien n’a été ajouté en double'), 'matches reported: ' + said);
    await shot(page, 'import-french-excel-again-1280');
    await noEnglish('second result');
    expect((await people()).length === 4, 'still four contacts');
  });
}
