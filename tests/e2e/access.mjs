// End-to-end steps of revocable access (web/src/modules/users/Account.tsx, Users.tsx; docs/api.md "How
// to revoke"), run by tests/e2e/run.mjs as the demo admin: "Mon compte" creates a token with an
// expiry (shown once, working), then revokes it (refused at once); the users page deactivates a
// user whose open session is refused at once, reactivates them, refuses a common password in
// French and resets it; the user changes their own password; both pages at phone width.
//
//   await accessSteps(page, { base, step, shot, expect, browser })

export async function accessSteps(page, { base, step, shot, expect, browser }) {
  const bearer = (token) =>
    page.evaluate(async (tk) => (await fetch('/api/v1/me', { headers: { Authorization: 'Bearer ' + tk } })).status, token);
  const call = (p, method, path, body) =>
    p.evaluate(
      async ({ method, path, body }) => {
        const r = await fetch('/api/v1' + path, {
          method,
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': localStorage.getItem('gazelle.csrf') || '' },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: r.status, body: r.status === 204 ? null : await r.json() };
      },
      { method, path, body },
    );

  await step('Mon compte: a token with an expiry is shown once, works, and is refused once revoked', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Mon compte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
    const form = page.getByTestId('token-form');
    await form.getByLabel('Nom').fill('Export e2e');
    await form.getByLabel('Expire le').fill('2099-12-31');
    await form.getByRole('button', { name: 'Créer un jeton' }).click();
    const secret = (await page.getByTestId('new-token').locator('code').innerText()).trim();
    expect(secret.startsWith('gz_'), 'token shown: ' + secret);
    await page.getByText('il ne sera plus affiché').waitFor();
    const row = page.locator('tr[data-token="Export e2e"]');
    await row.getByText('31 déc. 2099').waitFor();
    expect((await bearer(secret)) === 200, 'the new token works');
    await shot(page, 'account-token');
    page.once('dialog', (d) => d.accept());
    await row.getByRole('button', { name: 'Révoquer' }).click();
    await row.getByText(/Révoqué le/).waitFor();
    expect((await bearer(secret)) === 401, 'the revoked token is refused at once');
  });

  const email = `e2e.${Date.now().toString(36)}@demo.gazelle.fr`;
  const first = 'castor-bleu-sous-la-pluie', second = 'renard-roux-dans-la-neige', third = 'hibou-gris-sur-la-branche';
  let other, otherPage;

  await step('Utilisateurs: deactivating a user ends their open session at once; reactivate', async () => {
    const created = await call(page, 'POST', '/users', { email, name: 'Émile Essai', role: 'sales', team: 'Équipe Nord', password: first });
    expect(created.status === 201, 'user created: ' + JSON.stringify(created));
    other = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'fr-FR', isMobile: true, hasTouch: true });
    otherPage = await other.newPage();
    await otherPage.goto(base + '/');
    await otherPage.getByLabel('E-mail').fill(email);
    await otherPage.getByLabel('Mot de passe').fill(first);
    await otherPage.getByRole('button', { name: 'Se connecter' }).click();
    await otherPage.getByTestId('current-user').waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Utilisateurs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Utilisateurs' }).waitFor();
    const card = page.locator(`li[data-user="${email}"]`);
    page.once('dialog', (d) => d.accept());
    await card.getByRole('button', { name: 'Désactiver' }).click();
    await card.getByTestId('user-status').getByText('Désactivé').waitFor();
    expect((await call(otherPage, 'GET', '/me')).status === 401, 'the deactivated user is refused at once');
    await shot(page, 'users-deactivated');
    await card.getByRole('button', { name: 'Réactiver' }).click();
    await card.getByTestId('user-status').getByText('Actif').waitFor();
  });

  await step('Utilisateurs: a common password is refused in French; the reset works', async () => {
    const card = page.locator(`li[data-user="${email}"]`);
    await card.getByRole('button', { name: 'Réinitialiser le mot de passe' }).click();
    const form = card.getByTestId('reset-form');
    await form.getByLabel(/Nouveau mot de passe pour/).fill('Azertyuiop2024');
    await form.getByRole('button', { name: 'Réinitialiser le mot de passe' }).click();
    await form.getByText('trop courant').waitFor();
    await form.getByLabel(/Nouveau mot de passe pour/).fill(second);
    await form.getByRole('button', { name: 'Réinitialiser le mot de passe' }).click();
    await page.getByText(/Mot de passe de Émile Essai changé/).waitFor();
  });

  await step('Mon compte at phone width: the user changes their own password', async () => {
    await otherPage.goto(base + '/');
    await otherPage.getByLabel('E-mail').fill(email);
    await otherPage.getByLabel('Mot de passe').fill(second);
    await otherPage.getByRole('button', { name: 'Se connecter' }).click();
    await otherPage.getByTestId('current-user').waitFor();
    await otherPage.getByRole('button', { name: 'Menu' }).click();
    await otherPage.getByRole('navigation').getByRole('link', { name: 'Mon compte' }).click();
    const form = otherPage.getByTestId('password-form');
    await form.getByLabel('Mot de passe actuel').fill(second);
    await form.getByLabel(/^Nouveau mot de passe\s*\*?$/).fill('court');
    await form.getByLabel('Nouveau mot de passe (confirmation)').fill('court');
    await form.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    await form.getByText(/au moins 12.caractères/).waitFor();
    await form.getByLabel(/^Nouveau mot de passe\s*\*?$/).fill(third);
    await form.getByLabel('Nouveau mot de passe (confirmation)').fill(third);
    await form.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    await otherPage.getByText(/Mot de passe changé/).waitFor();
    await shot(otherPage, 'account-375');
    const overflow = await otherPage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1, `the account page scrolls sideways by ${overflow} px`);
    const relog = await call(otherPage, 'POST', '/auth/login', { email, password: third });
    expect(relog.status === 200, 'the new password logs in');
    await other.close();
  });

  await step('Utilisateurs at phone width', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'fr-FR', isMobile: true, hasTouch: true });
    await phone.addCookies(await page.context().cookies());
    const p = await phone.newPage();
    await p.goto(base + '/');
    await p.evaluate((csrf) => localStorage.setItem('gazelle.csrf', csrf), await page.evaluate(() => localStorage.getItem('gazelle.csrf')));
    await p.goto(base + '/users');
    await p.locator(`li[data-user="${email}"]`).waitFor();
    await shot(p, 'users-375');
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1, `the users page scrolls sideways by ${overflow} px`);
    await phone.close();
  });
}
